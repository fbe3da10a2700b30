import type { Tensor } from '@neurona/tensor';
import type { BackendName, CaseName } from '../types';
import type { WeightSpec } from '../data';

/** Everything an implementation needs to set itself up for one case. */
export interface CaseSetup {
  caseName: CaseName;
  batchSize: number;
  learningRate: number;
  /** SGD for the perceptron and the MLP, Adam (Keras's defaults) for the cnn. */
  optimizer: 'sgd' | 'adam';
  /** The backend the case runs on. */
  backend: BackendName;
  weights: WeightSpec[];
  /** neurona's `compile({ jitCompile })` (the other implementations ignore it). */
  jitCompile?: boolean;
  /** Training data for this implementation (`[n, 784]` or the cnn's `[n, 28, 28, 1]`, and `[n, 10]`). */
  x: Tensor;
  y: Tensor;
}

/** Called by a trainer around each epoch; `loss` is the epoch's mean training loss. */
export interface EpochHooks {
  begin(epoch: number): void;
  end(epoch: number, loss: number): void;
}

/** One implementation, set up for one case. */
export interface Trainer {
  /**
   * Train `epochs` epochs over the setup's data, calling the hooks: in order, or shuffled before
   * each epoch where the case says so (`trainingOf`).
   */
  train(epochs: number, hooks: EpochHooks): Promise<void>;
  /** The training plan the last `train` used ('compiled' or 'tape'), where the implementation has plans. */
  plan?(): 'compiled' | 'tape' | null;
  /** Class probabilities for `x`, in batches of `batchSize`. */
  predict(x: Tensor, batchSize: number): Tensor;
  /** Release the model, its variables and whatever else it holds. */
  dispose(): void;
}

/** An implementation that is not available in this build, and why. */
export class Missing extends Error {}
