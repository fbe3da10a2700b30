import type { Callback, History, Sequential } from '@neurona/models';
import type { Tensor } from '@neurona/tensor';
import type { ModelKind } from './kinds';

/** What each model trains with unless told otherwise. */
export interface TrainingDefaults {
  batchSize: number;
  epochs: number;
}

/**
 * The perceptron keeps the course's batch of 128 and 10 epochs; the MLP with Adam learns well in
 * fewer, smaller steps (batch 32, Keras's default), which also matters on the small subsets a
 * browser page trains on.
 */
export const TRAINING_DEFAULTS: Readonly<Record<ModelKind, Readonly<TrainingDefaults>>> = {
  perceptron: { batchSize: 128, epochs: 10 },
  mlp: { batchSize: 32, epochs: 5 },
  cnn: { batchSize: 32, epochs: 3 },
};

/** The tensors `trainModel` reads, named as `trainValTestSplit` of @neurona/data-split returns them. */
export interface TrainingData {
  xTrain: Tensor;
  yTrain: Tensor;
  xVal: Tensor;
  yVal: Tensor;
}

/** Options of `trainModel`. */
export interface TrainOptions {
  /** Default from `TRAINING_DEFAULTS` for the model's kind. */
  epochs?: number;
  /** Default from `TRAINING_DEFAULTS` for the model's kind. */
  batchSize?: number;
  /** Extra callbacks (progress, charts): plain objects with `onEpochEnd` and friends. */
  callbacks?: Callback[];
  /** 0 silent (the page), 1 Keras progress bar (the default in Node), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
}

/**
 * `model.fit` on the training split, validated on the validation split each epoch, with the
 * defaults of `kind`. The returned History holds `loss`, `accuracy`, `val_loss`, `val_accuracy`.
 */
export function trainModel(model: Sequential, kind: ModelKind, data: TrainingData, options: TrainOptions = {}): Promise<History> {
  const defaults = TRAINING_DEFAULTS[kind];
  return model.fit(data.xTrain, data.yTrain, {
    epochs: options.epochs ?? defaults.epochs,
    batchSize: options.batchSize ?? defaults.batchSize,
    validationData: [data.xVal, data.yVal],
    callbacks: options.callbacks,
    verbose: options.verbose,
  });
}
