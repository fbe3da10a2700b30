// The tape's engines, loaded on demand (`loadTapeEngine` of engine.ts): the built-in fused steps
// (`Steps`, one pass per batch, every log value summed on the device) and the model's own
// `trainStep`/`testStep` (a Keras-style subclass). A page whose model trains, validates and
// evaluates on a compiled plan never downloads them.
import { isTensor, tidy } from '@neurona/tensor';
import { describeData } from '@neurona/common';
import type { Tensor } from '@neurona/tensor';
import type { Logs } from './callbacks/types';
import type { Engine, Pass } from './engine';
import type { LayersModel, StepData, StepLogs } from './model';
import { Steps, gatherBatch } from './step';
import type { Accumulator, BatchIndices, DataArrays } from './step';

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

/** The model's `trainStep`/`testStep`, batch by batch; `keys` are the log keys known before the first step. */
export function hookEngine(model: LayersModel, keys: string[]): Engine {
  return {
    keys,
    kind: 'trainStep',
    trainPass: () => new HookPass(model, true),
    testPass: () => new HookPass(model, false),
    dispose: () => undefined,
  };
}
