// @neurona/kernels/webgpu: the GPU plan's WGSL kernels and runtime, on tfjs-backend-webgpu's
// device. A separate entry: pages on cpu/wasm never load it, pages on WebGPU load it only to train.
export { GpuTrainingPlan, type GpuPlanConfig, type GpuStepSettings, type GpuPlace } from './training-plan';
export { webgpuDevice, submitBackendWork, gpuCopyOf, tensorFromGpu, type GpuCopy } from './device';
export { countDispatches, type DispatchCounter } from './dispatch-count';
export { type GpuActivation, type KernelLayer, type LossSpec, type OptimizerSpec } from './wgsl';
export type { GpuBuffer, GpuDevice } from './gpu-types';
