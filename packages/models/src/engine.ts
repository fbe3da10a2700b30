// How fit, evaluate and the on-batch methods run their batches on the tape: the built-in fused
// steps (`Steps`, one pass per batch, every log value summed on the device) when the model keeps
// Keras's default hooks, or the model's own `trainStep`/`testStep` (a Keras-style subclass)
// otherwise. Both give the same numbers for the default hooks; the fused one skips the per-metric
// bookkeeping. Their code (tape-engine.ts, step.ts) loads on demand: `tapeReady()` is awaited
// before any tape pass runs (fit, evaluate and the on-batch methods are asynchronous), so a page
// whose model runs on a compiled plan never downloads it.
import { ensureKernels } from '@neurona/tensor';
import type { Logs } from './callbacks/types';
import type { LayersModel } from './model';
import { overrides } from './model';
import type { BatchIndices, DataArrays } from './step';

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

// ---- the tape's code, on demand ---------------------------------------------------------------

type TapeModule = typeof import('./tape-engine');

let tape: TapeModule | null = null;
let loading: Promise<TapeModule> | null = null;

/**
 * Load the tape's engines (once; at once when loaded). A failed load (a page that lost its
 * network) is not remembered: the next call tries again.
 */
export async function loadTapeEngine(): Promise<void> {
  if (tape) return;
  loading ??= import('./tape-engine').then(
    (m) => (tape = m),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  await loading;
}

/** True once the tape's engines are loaded (always after a tape pass has run). */
export function tapeEngineLoaded(): boolean {
  return tape !== null;
}

/**
 * What a pass on the tape needs before it runs: the kernels and gradients a page's bundle may
 * have deferred (`ensureKernels` of @neurona/tensor) and the tape's engines.
 */
export async function tapeReady(): Promise<void> {
  await Promise.all([ensureKernels(), loadTapeEngine()]);
}

// The log keys of the model's own steps, known before the first step (a custom step may add more).
function hookKeys(model: LayersModel): string[] {
  try {
    return model.metricsNames;
  } catch {
    return [];
  }
}

/**
 * The engine for training (`'train'`) or evaluation (`'test'`) of `model` on the tape. Made at
 * once (a compiled plan keeps one for its test passes, which may never run); its passes need the
 * tape's code, which `tapeReady()` loads: a pass asked for before that is an internal error.
 */
export function engineFor(model: LayersModel, purpose: 'train' | 'test'): Engine {
  const custom = purpose === 'train' ? customTraining(model) : customTesting(model);
  if (!custom && !model.graphOrNull) throw new Error(`Internal: ${model} has no graph for the fused steps`);
  const keys = custom ? hookKeys(model) : model.boundCompile('fit').keys;
  let real: Engine | null = null;
  const get = (): Engine => {
    if (real) return real;
    if (!tape) throw new Error(`Internal: a tape pass of ${model} was asked for before the tape's code was loaded (await tapeReady() first)`);
    real = custom ? tape.hookEngine(model, keys) : tape.fusedEngine(model);
    return real;
  };
  return {
    keys,
    kind: custom ? 'trainStep' : 'fused',
    trainPass: () => get().trainPass(),
    testPass: () => get().testPass(),
    dispose: () => real?.dispose(),
  };
}
