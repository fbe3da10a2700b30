// neurona's own fit(), through its public packages. Loaded dynamically: until @neurona/models
// exports Sequential (it is being written), the bench reports neurona as missing.
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { activations, layerSizes, trainingOf } from '../data';
import { Missing, type CaseSetup, type EpochHooks, type Trainer } from './trainer';

/** The part of neurona's Keras API the bench uses. */
interface NeuronaModel {
  add(layer: unknown): void;
  compile(args: { loss: string; optimizer: unknown; jitCompile?: boolean }): void;
  setWeights(ws: Tensor[]): void;
  fit(x: Tensor, y: Tensor, args: {
    epochs: number; batchSize: number; shuffle: boolean; verbose: number;
    callbacks: { onEpochBegin(epoch: number): void; onEpochEnd(epoch: number, logs: Record<string, number>): void }[];
  }): Promise<{ history: Record<string, number[]>; params?: { plan?: 'compiled' | 'tape' } | null }>;
  predict(x: Tensor, args: { batchSize: number }): Tensor | Tensor[];
  dispose?(): void;
  optimizer?: { dispose?(): void };
}

interface NeuronaApi {
  Sequential(): NeuronaModel;
  Dense(units: number, args: { activation: string; inputShape?: number[] }): unknown;
  SGD(learningRate: number): { dispose?(): void };
  Adam(options: { learningRate: number; epsilon: number }): { dispose?(): void };
}

let api: NeuronaApi | null = null;

/** Loads @neurona/models, layers and optimizers; throws `Missing` with the reason when fit() is not there yet. */
export async function loadNeurona(): Promise<NeuronaApi> {
  if (api) return api;
  const mods = await Promise.all([import('@neurona/models'), import('@neurona/layers'), import('@neurona/optimizers')].map((p) =>
    p.then((m) => m as Record<string, unknown>, (e: Error) => ({ error: e.message }) as Record<string, unknown>)));
  const [models, layers, optimizers] = mods;
  const lacking = [
    typeof models.Sequential !== 'function' && '@neurona/models Sequential',
    typeof layers.Dense !== 'function' && '@neurona/layers Dense',
    typeof optimizers.SGD !== 'function' && '@neurona/optimizers SGD',
  ].filter(Boolean);
  if (lacking.length) throw new Missing(`not available yet: ${lacking.join(', ')}`);
  api = { Sequential: models.Sequential, Dense: layers.Dense, SGD: optimizers.SGD, Adam: optimizers.Adam } as NeuronaApi;
  return api;
}

/**
 * neurona's fit() on the arrays, or (`input: 'dataset'`) on a `@neurona/data` dataset of the same
 * batches in the same order: `fromArrays(x, y).batch(batchSize).prefetch(2)`.
 */
export async function neurona(setup: CaseSetup, input: 'arrays' | 'dataset' = 'arrays'): Promise<Trainer> {
  const { Sequential, Dense, SGD, Adam } = await loadNeurona();
  const how = trainingOf(setup.caseName);
  if (input === 'dataset' && how.shuffle) throw new Missing('the dataset form is timed on the unshuffled cases only');
  const sizes = layerSizes(setup.caseName);
  const acts = activations(setup.caseName);
  const model = Sequential();
  acts.forEach((activation, l) => model.add(Dense(sizes[l + 1], { activation, ...(l === 0 ? { inputShape: [sizes[0]] } : {}) })));
  const optimizer = how.optimizer === 'adam' ? Adam({ learningRate: setup.learningRate, epsilon: 1e-7 }) : SGD(setup.learningRate);
  let plan: 'compiled' | 'tape' | null = null;
  model.compile({ loss: 'categorical_crossentropy', optimizer, jitCompile: setup.jitCompile ?? true });
  const init = setup.weights.map((w) => T.tensor(w.values, w.shape));
  model.setWeights(init);
  T.dispose(init);
  return {
    async train(epochs: number, hooks: EpochHooks): Promise<void> {
      if (typeof model.fit !== 'function') throw new Missing('Sequential has no fit() yet');
      const callbacks = [{
        onEpochBegin: (epoch: number) => hooks.begin(epoch),
        onEpochEnd: (epoch: number, logs: Record<string, number>) => hooks.end(epoch, Number(logs.loss)),
      }];
      if (input === 'dataset') {
        const { fromArrays } = await import('@neurona/data');
        const ds = fromArrays(setup.x, setup.y).batch(setup.batchSize).prefetch(2);
        await (model.fit as unknown as (d: unknown, o: object) => Promise<unknown>)(ds, { epochs, verbose: 0, callbacks });
        return;
      }
      const h = await model.fit(setup.x, setup.y, { epochs, batchSize: setup.batchSize, shuffle: how.shuffle, verbose: 0, callbacks });
      plan = h.params?.plan ?? null;
    },
    plan: () => plan,
    predict(x: Tensor, batchSize: number): Tensor {
      const out = model.predict(x, { batchSize });
      return Array.isArray(out) ? out[0] : out;
    },
    dispose(): void {
      model.dispose?.();
      optimizer.dispose?.();
    },
  };
}
