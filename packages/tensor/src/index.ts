import './register';

export * from './types';
export * from './ops';
export * from './memory';
export * from './autodiff';
export * from './constraint';
export * from './logits';
export * from './random';
export * from './backend';
export * from './backend-select';
export * from './gpu-adapter';
export * from './fused';
export * from './matmul-t';
export * from './softmax-cross-entropy';
export * from './gather-rows';
export * from './fast-kernels';
