// @neurona/kernels/webgpu: the GPU plan's WGSL kernels and runtime, on tfjs-backend-webgpu's
// device. A separate entry: pages on cpu/wasm never load it, pages on WebGPU load it only to train.
export { GpuTrainingPlan, STEPS_PER_SUBMIT, needsWgslExtras, loadWgslExtras, type GpuPlanConfig, type GpuStepSettings, type GpuRows } from './training-plan';
export { GpuForwardPlan, type GpuForwardConfig } from './forward-plan';
export { GpuEvalPlan, BATCHES_PER_SUBMIT, type GpuEvalConfig, type GpuParamCopy } from './eval-plan';
export type { GpuPlace } from './param-layout';
export { webgpuDevice, submitBackendWork, gpuCopyOf, tensorFromGpu, type GpuCopy } from './device';
export { countDispatches, countSubmits, type DispatchCounter } from './dispatch-count';
export { type GpuActivation, type GpuMetric, type GpuRange, type GradientClip, type KernelLayer, type LossSpec, type OptimizerSpec, type WgslExtras } from './wgsl';
export type { GpuBuffer, GpuDevice } from './gpu-types';
