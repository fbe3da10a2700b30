// How fit, evaluate and the on-batch methods run their batches: the built-in fused steps (`Steps`,
// one pass per batch, every log value summed on the device) when the model keeps Keras's default
// hooks, or the model's own `trainStep`/`testStep` (a Keras-style subclass) otherwise. Both give
// the same numbers for the default hooks; the fused one skips the per-metric bookkeeping.
import { isTensor, tidy } from '@neurona/tensor';
import { describeData } from '@neurona/common';
import type { Tensor } from '@neurona/tensor';
import type { Logs } from './callbacks/types';
import type { LayersModel, StepData, StepLogs } from './model';
import { overrides } from './model';
import { Steps, gatherBatch } from './step';
import type { Accumulator, BatchIndices, DataArrays } from './step';

/** One pass over batches (an epoch of training, or an evaluation). */
export interface Pass {
  /** Run the rows `indices` of `data` (all of them when null). */
  step(data: DataArrays, indices: BatchIndices): void;
  /** The log values so far (means over the pass, as Keras's progress bar shows them). */
  read(): Promise<Logs>;
  /** The final values; the model's `metrics` now report this pass. Releases the pass. */
  finish(): Promise<Logs>;
  /** Release what the pass holds (after finish, or when the loop stopped early). */
  dispose(): void;
  /**
   * Bring the model's variables up to date, where the pass keeps them elsewhere between steps (a
   * compiled plan): fit calls it before anything outside the step can look (callbacks, yields).
   */
  flush?(): void;
}

/** What runs a model's batches: training passes and test passes. */
export interface Engine {
  /** The log keys known before the first step (a custom step may add more). */
  readonly keys: string[];
  /** `'fused'` (the built-in steps), `'trainStep'` (the model's own hooks) or `'compiled'` (a compiled plan), for messages. */
  readonly kind: 'fused' | 'trainStep' | 'compiled';
  /** What a compiled engine runs, for fit's verbose line (e.g. `'dense plan, fused optimizer'`). */
  readonly describe?: string;
  trainPass(): Pass;
  testPass(): Pass;
  dispose(): void;
}

// A model subclass without inputs/outputs runs its own `call`: no graph for the fused steps (a
// Sequential without an input shape gets its graph from the first data).
function graphless(model: LayersModel): boolean {
  return model.graphOrNull === null && model.kind !== 'Sequential';
}

/** True when the model customizes training (Keras's subclassing of `train_step` and friends). */
export function customTraining(model: LayersModel): boolean {
  return (['trainStep', 'computeLoss', 'computeMetrics', 'metrics', 'call'] as const).some((h) => overrides(model, h)) || graphless(model);
}

/** True when the model customizes evaluation. */
export function customTesting(model: LayersModel): boolean {
  return (['testStep', 'computeLoss', 'computeMetrics', 'metrics', 'call'] as const).some((h) => overrides(model, h)) || graphless(model);
}

// ---- the fused built-in steps ----------------------------------------------------------------

class FusedPass implements Pass {
  private acc: Accumulator;
  constructor(
    private readonly steps: Steps,
    private readonly training: boolean,
  ) {
    this.acc = steps.start();
  }

  step(data: DataArrays, indices: BatchIndices): void {
    if (this.training) this.steps.train(data, indices, this.acc);
    else this.steps.test(data, indices, this.acc);
  }

  async read(): Promise<Logs> {
    const t = this.steps.results(this.acc);
    try {
      const v = await t.data();
      const logs: Logs = {};
      this.steps.keys.forEach((k, i) => (logs[k] = v[i]));
      return logs;
    } finally {
      t.dispose();
    }
  }

  async finish(): Promise<Logs> {
    const logs = await this.read();
    this.steps.syncMetrics(this.acc);
    this.dispose();
    return logs;
  }

  dispose(): void {
    this.acc.sums?.dispose();
    this.acc.sums = null;
  }
}

/** The built-in steps of a compiled model with a graph. */
export function fusedEngine(model: LayersModel): Engine {
  const graph = model.graphOrNull;
  if (!graph) throw new Error(`Internal: ${model} has no graph for the fused steps`);
  const steps = new Steps(graph, model.boundCompile('fit'));
  return {
    keys: steps.keys,
    kind: 'fused',
    trainPass: () => new FusedPass(steps, true),
    testPass: () => new FusedPass(steps, false),
    dispose: () => steps.dispose(),
  };
}

// ---- the model's own hooks -------------------------------------------------------------------

/** `[x, y, sampleWeight]` of a batch as Keras hands it to `train_step`. */
function stepData(xs: Tensor[], ys: Tensor[], sw: (Tensor | null)[] | null): StepData {
  const x = xs.length === 1 ? xs[0] : xs;
  const y = ys.length === 0 ? undefined : ys.length === 1 ? ys[0] : ys;
  const w = sw?.[0] ?? undefined;
  return [x, y, w];
}

function checkLogs(model: LayersModel, hook: string, logs: unknown): StepLogs {
  if (typeof logs !== 'object' || logs === null || Array.isArray(logs) || isTensor(logs)) {
    throw new Error(
      `${model}.${hook} must return its logs as an object of scalar tensors or numbers ({ loss, accuracy, ... }), got ${describeData(logs)}`,
    );
  }
  for (const [k, v] of Object.entries(logs)) {
    const ok = typeof v === 'number' || (isTensor(v) && v.size === 1);
    if (!ok) {
      throw new Error(`${model}.${hook} returned "${k}": ${describeData(v)}; each log value must be a number or a scalar tensor`);
    }
  }
  return logs as StepLogs;
}


class HookPass implements Pass {
  private logs: StepLogs = {};
  constructor(
    private readonly model: LayersModel,
    private readonly training: boolean,
  ) {
    model.resetMetrics();
  }

  step(data: DataArrays, indices: BatchIndices): void {
    const hook = this.training ? 'trainStep' : 'testStep';
    const next = tidy(() => {
      const b = gatherBatch(data, indices);
      const d = stepData(b.xs, b.ys, b.sw);
      const out = this.training ? this.model.trainStep(d) : this.model.testStep(d);
      return checkLogs(this.model, hook, out) as unknown as Record<string, Tensor>;
    }) as unknown as StepLogs;
    this.release();
    this.logs = next;
  }

  async read(): Promise<Logs> {
    const out: Logs = {};
    for (const [k, v] of Object.entries(this.logs)) out[k] = typeof v === 'number' ? v : (await v.data())[0];
    return out;
  }

  async finish(): Promise<Logs> {
    const logs = await this.read();
    this.dispose();
    return logs;
  }

  private release(): void {
    for (const v of Object.values(this.logs)) if (typeof v !== 'number' && !v.isDisposed) v.dispose();
    this.logs = {};
  }

  dispose(): void {
    this.release();
  }
}

/** The model's `trainStep`/`testStep`, batch by batch. */
export function hookEngine(model: LayersModel): Engine {
  let keys: string[] = [];
  try {
    keys = model.metricsNames;
  } catch {
    keys = [];
  }
  return {
    keys,
    kind: 'trainStep',
    trainPass: () => new HookPass(model, true),
    testPass: () => new HookPass(model, false),
    dispose: () => undefined,
  };
}

/** The engine for training (`'train'`) or evaluation (`'test'`) of `model`. */
export function engineFor(model: LayersModel, purpose: 'train' | 'test'): Engine {
  const custom = purpose === 'train' ? customTraining(model) : customTesting(model);
  return custom ? hookEngine(model) : fusedEngine(model);
}
