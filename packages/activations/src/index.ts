export type { ActivationFn, ActivationConfig, ActivationIdentifier } from './types';
export { linear, exponential } from './basic';
export { relu, relu6, leakyRelu, elu, selu } from './relu-family';
export { sigmoid, tanh, hardSigmoid, softplus, softsign, logSigmoid } from './sigmoid-family';
export { gelu, silu, swish, hardSilu, hardSwish, mish } from './smooth';
export { softmax, logSoftmax } from './softmax';
export { maxout } from './maxout';
export { registry, get, serialize, registerActivation } from './registry';
