// Which engine fit trains with: a compiled plan where the model, its compile settings, the data
// and the backend allow it (and `jitCompile` is not false), else the tape path of `engineFor`.
import { getBackendInfo } from '@neurona/tensor';
import type { LayersModel } from '../model';
import { customTraining, engineFor, type Engine } from '../engine';
import type { DataArrays } from '../step';
import { analyzePlan } from './analyze';
import { compiledEngine } from './compiled-engine';
import { DensePlan, type PlanKernels } from './dense-plan';

/** The training engine, which plan it runs, and why it is not compiled (null when it is). */
export interface TrainingChoice {
  engine: Engine;
  plan: 'compiled' | 'tape';
  reason: string | null;
}

/** Why the arrays cannot feed a plan, or null when they can. */
function dataReason(k: PlanKernels, data: DataArrays | null): string | null {
  if (!data) return 'the data is a dataset';
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
 * The engine for `fit`'s training passes. `data` is the training arrays (null for a dataset) and
 * `batchSize` the largest batch.
 */
export async function trainingEngine(model: LayersModel, data: DataArrays | null, batchSize: number): Promise<TrainingChoice> {
  const mode = model.compileConfig?.jitCompile ?? 'auto';
  const tape = (reason: string): TrainingChoice => {
    if (mode === true) throw new Error(`fit: compile({ jitCompile: true }) but this model's training step cannot be compiled: ${reason}`);
    return { engine: engineFor(model, 'train'), plan: 'tape', reason };
  };
  if (mode === false) return tape('jitCompile is false');
  if (customTraining(model)) return tape('the model has its own training step');
  const graph = model.graphOrNull;
  if (!graph) return tape('the model has no graph');
  const bound = model.boundCompile('fit');
  const spec = analyzePlan(graph, bound);
  if (typeof spec === 'string') return tape(spec);
  if (!data) return tape('the data is a dataset');
  // the fast kernels' module, loaded only for backends whose memory they can work on (a page on
  // WebGPU never downloads it)
  const memory = getBackendInfo().capabilities.memory;
  if (memory !== 'host' && memory !== 'wasm-heap') return tape(`the backend's memory is '${memory}' (compiled steps run on cpu and wasm)`);
  const k: PlanKernels = await import('@neurona/kernels');
  const why = dataReason(k, data);
  if (why) return tape(why);
  const plan = DensePlan.create(k, spec, batchSize);
  if (!plan) return tape('the fast kernels are not active on this backend');
  return { engine: compiledEngine(plan, bound, engineFor(model, 'test')), plan: 'compiled', reason: null };
}
