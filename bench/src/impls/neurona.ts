// neurona's own fit(), through its public packages. Loaded dynamically: until @neurona/models
// exports Sequential (it is being written), the bench reports neurona as missing.
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { activations, layerSizes, trainingOf } from '../data';
import { Missing, type CaseSetup, type EpochHooks, type Trainer } from './trainer';

/** The part of neurona's Keras API the bench uses. */
interface NeuronaModel {
  add(layer: unknown): void;
  compile(args: { loss: string; optimizer: unknown; jitCompile?: boolean | 'auto' }): void;
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
  Adam(learningRate: number): { dispose?(): void };
  Conv2D(filters: number, kernelSize: number, args: { activation: string; inputShape?: number[] }): unknown;
  MaxPooling2D(args: { poolSize: number }): unknown;
  Flatten(): unknown;
  Dropout(rate: number): unknown;
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
    ...['Dense', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout'].map((n) => typeof layers[n] !== 'function' && `@neurona/layers ${n}`),
    ...['SGD', 'Adam'].map((n) => typeof optimizers[n] !== 'function' && `@neurona/optimizers ${n}`),
  ].filter(Boolean);
  if (lacking.length) throw new Missing(`not available yet: ${lacking.join(', ')}`);
  api = {
    Sequential: models.Sequential, Dense: layers.Dense, Conv2D: layers.Conv2D, MaxPooling2D: layers.MaxPooling2D, Flatten: layers.Flatten,
    Dropout: layers.Dropout, SGD: optimizers.SGD, Adam: optimizers.Adam,
  } as NeuronaApi;
  return api;
}

/** Keras's "Simple MNIST convnet", layer for layer. */
function convnet(a: NeuronaApi): NeuronaModel {
  const model = a.Sequential();
  model.add(a.Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(a.MaxPooling2D({ poolSize: 2 }));
  model.add(a.Conv2D(64, 3, { activation: 'relu' }));
  model.add(a.MaxPooling2D({ poolSize: 2 }));
  model.add(a.Flatten());
  model.add(a.Dropout(0.5));
  model.add(a.Dense(10, { activation: 'softmax' }));
  return model;
}

/**
 * neurona's fit() on the arrays, or (`input: 'dataset'`) on a `@neurona/data` dataset of the same
 * batches in the same order: `fromArrays(x, y).batch(batchSize).prefetch(2)`.
 */
export async function neurona(setup: CaseSetup, input: 'arrays' | 'dataset' = 'arrays'): Promise<Trainer> {
  const a = await loadNeurona();
  const how = trainingOf(setup.caseName);
  if (input === 'dataset' && how.shuffle) throw new Missing('the dataset form is timed on the unshuffled cases only');
  let model: NeuronaModel;
  if (setup.caseName === 'cnn') {
    model = convnet(a);
  } else {
    const sizes = layerSizes(setup.caseName);
    model = a.Sequential();
    activations(setup.caseName).forEach((activation, l) => model.add(a.Dense(sizes[l + 1], { activation, ...(l === 0 ? { inputShape: [sizes[0]] } : {}) })));
  }
  // neurona's Adam has Keras's epsilon 1e-7
  const optimizer = setup.optimizer === 'adam' ? a.Adam(setup.learningRate) : a.SGD(setup.learningRate);
  let plan: 'compiled' | 'tape' | null = null;
  // 'auto': the compiled step where the model has one (dense chains and the cnn), else the tape
  model.compile({ loss: 'categorical_crossentropy', optimizer, jitCompile: setup.jitCompile === false ? false : 'auto' });
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
        const h = await (model.fit as unknown as (d: unknown, o: object) => Promise<{ params?: { plan?: 'compiled' | 'tape' } | null }>)(ds, { epochs, verbose: 0, callbacks });
        plan = h.params?.plan ?? null;
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
