// `@neurona/tensor/kernel-api`: what a kernel or backend package needs to give neurona's own ops
// faster bodies on the backends whose capabilities suit it. Not for models, layers or programs:
// test/dependency-rule.test.ts at the repository root allows only tensor, kernels, backend-core,
// backend-node and backend-web to import it.
import './register';
import './define-all';

export { setKernelOverride, portableKernel, callBackendKernel, disposeIntermediate, type PortableKernel } from './kernel-util';
export { watchBackends, type BackendWatcher } from './backend';
export { DENSE } from './fused';
export { MATMUL_T } from './matmul-t';
export { SOFTMAX_CE, SOFTMAX_CE_GRAD } from './softmax-cross-entropy';
export { ACTIVATION_GRAD } from './activation-grad';
export { GATHER_ROWS } from './gather-rows';
export { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from './batch-norm';
export { EMBEDDING, EMBEDDING_GRAD } from './embedding-lookup';
export { RECURRENT, RECURRENT_GRAD, gateCount, cacheWidth, type RecurrentAttrs } from './recurrent';
export { CONV, CONV_BACKPROP_INPUT, CONV_BACKPROP_FILTER } from './conv';
export { POOL, POOL_GRAD } from './pool';
export { BIAS_GRAD } from './bias-grad';
export type { BackendCapabilities, BackendMemory } from './capabilities';
