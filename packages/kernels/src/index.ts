// Loading the package starts watching the backend registry (watch.ts).
import './watch';

export { useFastKernels, fastKernelsStatus, fastKernelsActive, fastKernelsSupported, type FastKernelsStatus } from './fast-kernels';
export { PlanMemory, tensorMemory } from './plan-memory';
export { activateRows, activationGradRows, softmaxCrossEntropyRows, meanSquaredErrorRows, columnSums, type PlanActivation, type LossRows } from './plan-kernels';
export { fusedOptimizerStep, type FusedOptimizerStep, type FlatSegment } from './fused-optimizer';
export type { RawArray } from './raw-data';
