// Which engine fit trains with: a compiled plan where the model, its compile settings, the data
// and the backend allow it (and `jitCompile` is not false), else the tape path of `engineFor`.
import { getBackendInfo } from '@neurona/tensor';
import type { LayersModel } from '../model';
import { customTraining, engineFor, type Engine } from '../engine';
import type { DataArrays } from '../step';

/** The training engine, which plan it runs, and why it is not compiled (null when it is). */
export interface TrainingChoice {
  engine: Engine;
  plan: 'compiled' | 'tape';
  reason: string | null;
}

/** What fit says of a dataset it trains on (the WebGPU plan takes only some datasets). */
export interface DatasetInfo {
  /** The dataset itself. */
  stream: unknown;
  /** Whether fit turns its targets into per-sample weights (`classWeight`). */
  classWeights: boolean;
}

/**
 * The engine for `fit`'s training passes. `data` is the training arrays (null for a dataset, whose
 * plan is laid out at its first batch; `dataset` describes it) and `batchSize` the largest batch of the arrays.
 */
export async function trainingEngine(model: LayersModel, data: DataArrays | null, batchSize: number, dataset?: DatasetInfo): Promise<TrainingChoice> {
  const mode = model.compileConfig?.jitCompile ?? 'auto';
  const tape = (reason: string): TrainingChoice => {
    if (mode === true) throw new Error(`fit: compile({ jitCompile: true }) but this model's training step cannot be compiled: ${reason}`);
    return { engine: engineFor(model, 'train'), plan: 'tape', reason };
  };
  if (mode === false) return tape('jitCompile is false');
  if (customTraining(model)) return tape('the model has its own training step');
  const graph = model.graphOrNull;
  if (!graph) return tape('the model has no graph');
  const info = getBackendInfo();
  const memory = info.capabilities.memory;
  if (memory === 'device' && info.name === 'webgpu') {
    if (!data && !dataset) return tape('a dataset on WebGPU (the WebGPU plan takes arrays and fromArrays(...).batch(b) datasets)');
    // the GPU plan's code and kernels are loaded only here, when a WebGPU page trains
    const { compileGpuPlan } = await import('./gpu-compile');
    const r = await compileGpuPlan(model, graph, data, batchSize, dataset);
    return typeof r === 'string' ? tape(r) : { engine: r, plan: 'compiled', reason: null };
  }
  if (memory !== 'host' && memory !== 'wasm-heap') return tape(`the backend's memory is '${memory}' (compiled steps run on cpu, wasm and webgpu)`);
  // the plan's code and the fast kernels are loaded only here (a page on WebGPU never downloads them)
  const { compilePlan } = await import('./compile-plan');
  const r = await compilePlan(model, graph, data, batchSize);
  return typeof r === 'string' ? tape(r) : { engine: r, plan: 'compiled', reason: null };
}

/** The engine for test passes (evaluate, fit's validation), and on WebGPU which plan runs them and why. */
export interface TestChoice {
  engine: Engine;
  /** `'compiled'` on the WebGPU plan, `'tape'` otherwise. */
  plan: 'compiled' | 'tape';
  /** On WebGPU, why the test passes stay on the tape; null elsewhere (no plan for test passes there) or when compiled. */
  reason: string | null;
}

/**
 * The engine for the test passes of `model` on the arrays `data` (null for a dataset): on the
 * webgpu backend the WebGPU plan's forward kernels and loss kernel when the model and data allow
 * it (loading the plan's chunk), else the tape's steps as before.
 */
export async function testEngine(model: LayersModel, data: DataArrays | null): Promise<TestChoice> {
  const info = getBackendInfo();
  if (info.capabilities.memory !== 'device' || info.name !== 'webgpu') return { engine: engineFor(model, 'test'), plan: 'tape', reason: null };
  // jitCompile false never loads the plan's chunk; the rest of the choice on WebGPU is in it (a cpu/wasm page never loads it)
  if (model.compileConfig?.jitCompile === false) return { engine: engineFor(model, 'test'), plan: 'tape', reason: 'jitCompile is false' };
  const { gpuTestChoice } = await import('./gpu-compile');
  return gpuTestChoice(model, data);
}

/** Say once per model which plan `where`'s test passes run on WebGPU (nothing elsewhere). */
export function sayTestPlan(model: LayersModel, where: string, choice: TestChoice, writer: { write(s: string): void }): void {
  if (choice.plan === 'tape' && choice.reason === null) return;
  const line = choice.plan === 'compiled' ? `${where}: compiled test step (${choice.engine.describe ?? 'WebGPU plan'})` : `${where}: tape test step (${choice.reason})`;
  if (model.advised.has(line)) return;
  model.advised.add(line);
  writer.write(`${line}\n`);
}
