// Loading the package starts watching the backend registry (watch.ts).
import './watch';

export { useFastKernels, fastKernelsStatus, fastKernelsActive, fastKernelsSupported, type FastKernelsStatus } from './fast-kernels';
