// The WebGPU training engine for a model, or why there is none: loaded by choose.ts only on the
// webgpu backend, and it loads @neurona/kernels/webgpu (never the wasm kernels) only here.
import { isTensor, type Tensor } from '@neurona/tensor';
import { rowBatchesOf, unpackXYSampleWeight } from '@neurona/data';
import type { LayersModel } from '../model';
import { engineFor, type Engine } from '../engine';
import type { Graph } from '../graph';
import type { DataArrays } from '../step';
import { analyzePlan, type PlanSpec } from './analyze';
import { GpuDensePlan, gpuPlanReason, gpuSpecReason, type GpuKernels } from './gpu-plan';
import { fixedGpuPlan, gpuEngine, growingGpuPlan } from './gpu-engine';
import type { DatasetInfo } from './choose';
import { setGpuPredictor } from './gpu-predict-hook';
import { predictOnGpu } from './gpu-predict';

/** Values per sample of a tensor `[n, ...]`. */
const rowWidth = (t: Tensor): number => t.shape.slice(1).reduce((a, b) => a * b, 1);

/**
 * Why the WebGPU plan of `spec` does not take `ds` (as far as its columns tell before the first
 * batch), or null. Only datasets with a row view (`fromArrays(...).batch(b)`) whose columns are
 * one input tensor and one target tensor, and no weights, are taken.
 */
function datasetReason(spec: PlanSpec, ds: DatasetInfo, inputDtype: string): string | null {
  const view = rowBatchesOf(ds.stream);
  if (!view) return 'a dataset without row views on WebGPU (the WebGPU plan takes arrays and fromArrays(...).batch(b) datasets)';
  if (ds.classWeights) return 'sample or class weights are not in the WebGPU plan yet';
  if (inputDtype !== 'float32') return `the input is ${inputDtype}`;
  let parts: { x: unknown; y?: unknown; sampleWeight?: unknown };
  try {
    parts = unpackXYSampleWeight(view.columns);
  } catch {
    return "the dataset's elements are not { x, y }";
  }
  if (parts.sampleWeight !== undefined) return 'sample or class weights are not in the WebGPU plan yet';
  const { x, y } = parts;
  if (!isTensor(x) || !isTensor(y)) return "the dataset's columns are not one input tensor and one target tensor";
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return `the input column is ${x.dtype}`;
  if (y.dtype !== 'float32' && y.dtype !== 'int32') return `the target column is ${y.dtype}`;
  const units = spec.layers[spec.layers.length - 1].units;
  if (rowWidth(x) !== spec.inputSize) return `the input rows have ${rowWidth(x)} values, the model takes ${spec.inputSize}`;
  if (rowWidth(y) !== (spec.loss.sparse ? 1 : units)) return `the target rows have ${rowWidth(y)} values, the loss takes ${spec.loss.sparse ? 1 : units}`;
  return null;
}

/**
 * The WebGPU plan's engine for `model` on the arrays `data` (batches of up to `batchSize` rows),
 * or on the dataset `ds` when `data` is null (laid out at its first batch), or why not.
 */
export async function compileGpuPlan(model: LayersModel, graph: Graph, data: DataArrays | null, batchSize: number, ds?: DatasetInfo): Promise<Engine | string> {
  const bound = model.boundCompile('fit');
  const k: GpuKernels = await import('@neurona/kernels/webgpu');
  // from now on predict runs compiled dense chains on the plan's forward kernels
  setGpuPredictor((m, g, xs, n, batchSize) => predictOnGpu(k, m, g, xs, n, batchSize));
  const spec = analyzePlan(graph, bound);
  if (typeof spec === 'string') return spec;
  const why = data ? gpuPlanReason(spec, data) : ds ? (gpuSpecReason(spec) ?? datasetReason(spec, ds, graph.inputs[0].dtype)) : 'a dataset on WebGPU';
  if (why) return why;
  const device = k.webgpuDevice();
  if (!device) return 'the webgpu backend exposes no GPU device';
  if (!data) return gpuEngine(growingGpuPlan((d, rows) => GpuDensePlan.create(k, device, spec, d, rows)), spec.metrics, bound, engineFor(model, 'test'));
  const large = gpuPlanReason(spec, data, device.limits.maxStorageBufferBindingSize);
  if (large) return large;
  return gpuEngine(fixedGpuPlan(GpuDensePlan.create(k, device, spec, data, batchSize)), spec.metrics, bound, engineFor(model, 'test'));
}
