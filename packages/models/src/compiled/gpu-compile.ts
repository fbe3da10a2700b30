// The WebGPU training engine for a model, or why there is none: loaded by choose.ts only on the
// webgpu backend, and it loads @neurona/kernels/webgpu (never the wasm kernels) only here.
import type { LayersModel } from '../model';
import { customTesting, engineFor, type Engine } from '../engine';
import type { Graph } from '../graph';
import type { DataArrays } from '../step';
import { analyzePlan } from './analyze';
import { GpuDensePlan, gpuDataReason, gpuKernelSpec, gpuPlanReason, gpuSpecReason, type GpuKernels } from './gpu-plan';
import { gpuTestEngine, gpuTestSpecReason } from './gpu-evaluate';
import { fixedGpuPlan, gpuEngine } from './gpu-engine';
import type { DatasetInfo, TestChoice } from './choose';
import { setGpuPredictor } from './gpu-predict-hook';
import { predictOnGpu } from './gpu-predict';

/**
 * The WebGPU plan's engine for `model` on the arrays `data` (batches of up to `batchSize` rows),
 * or on the dataset `ds` when `data` is null (laid out at its first batch), or why not.
 */
export async function compileGpuPlan(model: LayersModel, graph: Graph, data: DataArrays | null, batchSize: number, ds?: DatasetInfo): Promise<Engine | string> {
  const bound = model.boundCompile('fit');
  const k: GpuKernels = await import('@neurona/kernels/webgpu');
  // from now on predict runs compiled dense chains on the plan's forward kernels
  setGpuPredictor((m, g, xs, n, bs) => predictOnGpu(k, m, g, xs, n, bs));
  const spec = analyzePlan(graph, bound);
  if (typeof spec === 'string') return spec;
  // datasets are their own chunk (a page training on arrays never loads it)
  const dsPart = !data && ds ? await import('./gpu-dataset') : null;
  const why = data ? gpuPlanReason(spec, data) : dsPart && ds ? (gpuSpecReason(spec) ?? dsPart.datasetReason(spec, ds, graph.inputs[0].dtype)) : 'a dataset on WebGPU';
  if (why) return why;
  const device = k.webgpuDevice();
  if (!device) return 'the webgpu backend exposes no GPU device';
  // the kernels a plain SGD/Adam MLP does not use are a chunk of their own
  const extras = k.needsWgslExtras(gpuKernelSpec(spec, 'f32', !!data?.sampleWeights?.[0])) ? await k.loadWgslExtras() : null;
  if (!data) {
    const grow = (dsPart as NonNullable<typeof dsPart>).growingGpuPlan;
    return gpuEngine(grow((d, rows) => GpuDensePlan.create(k, device, spec, d, rows, extras)), spec.metrics, bound, engineFor(model, 'test'));
  }
  const large = gpuPlanReason(spec, data, device.limits.maxStorageBufferBindingSize);
  if (large) return large;
  return gpuEngine(fixedGpuPlan(GpuDensePlan.create(k, device, spec, data, batchSize, extras)), spec.metrics, bound, engineFor(model, 'test'));
}

/** The engine of `model`'s test passes on WebGPU (see `testEngine` of choose.ts): the plan's, or the tape's with the reason. */
export async function gpuTestChoice(model: LayersModel, data: DataArrays | null): Promise<TestChoice> {
  const tape = (reason: string): TestChoice => ({ engine: engineFor(model, 'test'), plan: 'tape', reason });
  if (!model.isCompiled) return tape('the model is not compiled');
  if (customTesting(model)) return tape('the model has its own test step');
  const graph = model.graphOrNull;
  if (!graph) return tape('the model has no graph');
  if (!data) return tape('a dataset (the WebGPU plan evaluates arrays)');
  const r = await compileGpuTest(model, graph, data);
  return typeof r === 'string' ? tape(r) : { engine: r, plan: 'compiled', reason: null };
}

/**
 * The WebGPU plan's engine for `model`'s test passes (evaluate, fit's validation) on the arrays
 * `data`, or why not. Loads the plan's chunk (and registers its predictor) as a fit does.
 */
async function compileGpuTest(model: LayersModel, graph: Graph, data: DataArrays): Promise<Engine | string> {
  const k: GpuKernels = await import('@neurona/kernels/webgpu');
  setGpuPredictor((m, g, xs, n, bs) => predictOnGpu(k, m, g, xs, n, bs));
  const spec = analyzePlan(graph, model.boundCompile('evaluate'));
  if (typeof spec === 'string') return spec;
  const device = k.webgpuDevice();
  if (!device) return 'the webgpu backend exposes no GPU device';
  const why = gpuTestSpecReason(spec) ?? gpuDataReason(spec, data, device.limits.maxStorageBufferBindingSize);
  if (why) return why;
  const ks = gpuKernelSpec(spec, 'f32', !!data.sampleWeights?.[0]);
  // the optimizer plays no part in a test pass: only the loss, metrics and penalties decide on the extras
  const extras = k.needsWgslExtras({ layers: ks.layers.map((l) => ({ ...l, dropout: false })), loss: ks.loss, optimizer: { ...ks.optimizer, kind: 'sgd' } }) ? await k.loadWgslExtras() : null;
  return gpuTestEngine(k, device, spec, model.boundCompile('evaluate'), extras);
}
