// The seam between predict (synchronous, in every page) and the WebGPU plan's forward pass (in the
// lazy chunk a WebGPU page loads when it trains): the chunk registers its predictor here when it
// loads, and predict asks it first. A page that never trains on WebGPU never loads it.
import type { Tensor } from '@neurona/tensor';
import type { LayersModel } from '../model';
import type { Graph } from '../graph';

/** The outputs of `model` for the checked inputs `xs` (`n` rows, batches of `batchSize`), or null to run them on tfjs kernels. */
export type GpuPredictor = (model: LayersModel, graph: Graph, xs: Tensor[], n: number, batchSize: number) => Tensor | null;

let predictor: GpuPredictor | null = null;

/** Register the WebGPU plan's predictor (called by its chunk when it loads). */
export function setGpuPredictor(p: GpuPredictor | null): void {
  predictor = p;
}

/** The registered predictor, or null while the WebGPU plan's chunk is not loaded. */
export function gpuPredictor(): GpuPredictor | null {
  return predictor;
}
