// Loading the package starts watching the backend registry (watch.ts).
import './watch';

export { useFastKernels, fastKernelsStatus, fastKernelsActive, fastKernelsSupported, type FastKernelsStatus, type FastKernelsOptions } from './fast-kernels';
export { relaxedSimdSupported } from './relaxed-simd';
export type { EngineStats } from './gemm-engine';
export { PlanMemory, tensorMemory } from './plan-memory';
export { ResidentRows, residentLimitBytes, type ResidentArray } from './resident-rows';
export {
  activateRows,
  activationGradRows,
  softmaxCrossEntropyRows,
  sigmoidCrossEntropyRows,
  meanSquaredErrorRows,
  columnSums,
  multiplyRows,
  maskedCopyRows,
  type PlanActivation,
  type LossRows,
} from './plan-kernels';
export { planConvPatches, planConvFold, planProductSplitK, planPool, planPoolGrad, planReluGrad, planColumnSums, type PlanConvGeometry } from './plan-conv';
export { dropoutMaskAt, planDropoutMask } from './dropout-kernels';
export type { PoolWindow } from './pool-kernels';
export { metricRows, type MetricRows, type PlanMetricKind } from './plan-metrics';
export { weightPenalty, type PenaltyRows } from './plan-penalty';
export { fusedOptimizerStep, type FusedOptimizerStep, type FlatSegment } from './fused-optimizer';
export type { RawArray } from './raw-data';
