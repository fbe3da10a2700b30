// tfjs-layers 4.22 fit(): the baseline. It always runs on tfjs's own kernels.
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { activations, layerSizes, trainingOf } from '../data';
import type { CaseSetup, EpochHooks, Trainer } from './trainer';

export function tfjsLayers(setup: CaseSetup): Trainer {
  const sizes = layerSizes(setup.caseName);
  const acts = activations(setup.caseName);
  const model = tfl.sequential();
  acts.forEach((activation, l) => {
    model.add(tfl.layers.dense({ units: sizes[l + 1], activation, ...(l === 0 ? { inputShape: [sizes[0]] } : {}) }));
  });
  const how = trainingOf(setup.caseName);
  const optimizer = how.optimizer === 'adam' ? tfc.train.adam(setup.learningRate, 0.9, 0.999, 1e-7) : tfc.train.sgd(setup.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const init = setup.weights.map((w) => T.tensor(w.values, w.shape));
  model.setWeights(init);
  T.dispose(init);
  return {
    async train(epochs: number, hooks: EpochHooks): Promise<void> {
      await model.fit(setup.x, setup.y, {
        epochs,
        batchSize: setup.batchSize,
        shuffle: how.shuffle,
        verbose: 0,
        // tfjs-layers' best case: no yielding to the event loop during an epoch
        yieldEvery: 'never',
        callbacks: {
          onEpochBegin: async (epoch: number) => hooks.begin(epoch),
          onEpochEnd: async (epoch: number, logs?: tfl.Logs) => hooks.end(epoch, Number(logs?.loss)),
        },
      });
    },
    predict(x: Tensor, batchSize: number): Tensor {
      return model.predict(x, { batchSize }) as Tensor;
    },
    dispose(): void {
      model.dispose();
      // the optimizer is not owned by the model in tfjs-layers
      model.optimizer.dispose();
    },
  };
}
