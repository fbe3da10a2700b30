// The compiled engine for a model, or why there is none: loaded by choose.ts only where a plan
// can run (host or wasm-heap memory), so pages on other backends never download it.
import type { LayersModel } from '../model';
import { engineFor, type Engine } from '../engine';
import type { Graph } from '../graph';
import type { DataArrays } from '../step';
import { analyzePlan, FEATURE_LAYERS } from './analyze';
import { compiledEngine, fixedPlan, growingPlan } from './compiled-engine';
import { DensePlan, type ConvPart, type PlanKernels } from './dense-plan';
import { residentData } from './resident-data';

/** Why the arrays cannot feed a plan, or null when they can. */
function dataReason(k: PlanKernels, data: DataArrays): string | null {
  if (data.xs.length !== 1 || data.ys.length !== 1) return 'the data has several inputs or targets';
  const [x] = data.xs;
  const [y] = data.ys;
  if (x.dtype !== 'float32') return `the input is ${x.dtype}`;
  if (y.dtype !== 'float32' && y.dtype !== 'int32') return `the targets are ${y.dtype}`;
  const sw = data.sampleWeights?.[0] ?? null;
  if (sw && sw.dtype !== 'float32') return `the sample weights are ${sw.dtype}`;
  if ([x, y, ...(sw ? [sw] : [])].some((t) => k.tensorMemory(t) === null)) return 'the backend has no fast kernels (cpu and wasm with useFastKernels)';
  return null;
}

/**
 * The compiled training engine of `model` on `data` (batches of up to `batchSize` rows), or on a
 * dataset's batches when `data` is null (the plan is laid out at the first batch), or the reason
 * it cannot be compiled.
 */
export async function compilePlan(model: LayersModel, graph: Graph, data: DataArrays | null, batchSize: number): Promise<Engine | string> {
  const bound = model.boundCompile('fit');
  // the convnet part is its own chunk, loaded for a model with conv or pooling layers only
  const conv: ConvPart | null = graph.nodes.some((n) => FEATURE_LAYERS.includes(n.outboundLayer.className)) ? await import('./conv-part') : null;
  const spec = analyzePlan(graph, bound, conv?.featureOf ?? null);
  if (typeof spec === 'string') return spec;
  const k: PlanKernels = await import('@neurona/kernels');
  const describe = conv ? 'convolution and dense plan, fused optimizer' : 'dense plan, fused optimizer';
  if (data === null) {
    // a dataset's batches are checked and cast to the model's input dtype (prepareXY), and any
    // numeric target or weight tensor of one batch can be copied: only the input dtype and the
    // backend decide
    const dtype = graph.inputs[0].dtype;
    if (dtype !== 'float32') return `the input is ${dtype}`;
    if (!k.fastKernelsActive()) return 'the fast kernels are not active on this backend';
    // a dataset of rows of arrays (fromArrays(...).batch(b)) keeps those arrays in the kernels'
    // memory from its first batch, as fit(x, y) does; not for a convnet (see below)
    const keep = conv ? undefined : (rows: DataArrays, batch: number) => (dataReason(k, rows) ? null : residentData(k, rows, batch));
    return { ...compiledEngine(k, growingPlan((rows) => DensePlan.create(k, spec, rows, conv), keep), spec.metrics, bound, engineFor(model, 'test')), describe };
  }
  const why = dataReason(k, data);
  if (why) return why;
  const plan = DensePlan.create(k, spec, batchSize, conv);
  if (!plan) return k.fastKernelsActive() ? `the plan's buffers for batches of ${batchSize} do not fit the fast kernels' memory` : 'the fast kernels are not active on this backend';
  // the arrays in the kernels' memory for the fit (after the plan: released in the reverse order);
  // not for a convnet, whose steps are tens of ms (the bench's cnn ran 3–7 % slower with them,
  // within the noise of a loaded machine but in each of three pairs)
  let resident = null;
  try {
    resident = conv ? null : residentData(k, data, batchSize);
  } catch (e) {
    plan.dispose();
    throw e;
  }
  const where = resident ? `${describe}, training rows in the kernels' memory` : describe;
  return { ...compiledEngine(k, fixedPlan(plan, resident), spec.metrics, bound, engineFor(model, 'test')), describe: where };
}
