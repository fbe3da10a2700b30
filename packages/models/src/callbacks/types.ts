import type { Tensor } from '@neurona/tensor';
import type { Writer } from '../writer';

/**
 * Values at the end of a batch or epoch: `loss`, each metric, `val_*` at epoch end.
 * Batch logs always hold `batch` and `size`; their loss and metric values (running means over the
 * epoch so far, as Keras) are present when they were read back from the device: every batch if a
 * callback asks for it (`batchLogs: 'every'`, the default for callbacks with `onBatchEnd`), else
 * at each progress refresh (about 10 times a second).
 */
export type Logs = Record<string, number>;

/** What `fit` tells callbacks before training (Keras's `params`). */
export interface FitParams {
  epochs: number;
  /** Batches per epoch; null for a dataset of unknown length until its first epoch ends. */
  steps: number | null;
  /** Training samples (null for a dataset). */
  samples: number | null;
  /** Samples per batch (null for a dataset, which batches itself). */
  batchSize: number | null;
  verbose: 0 | 1 | 2;
  initialEpoch: number;
  /** The log keys of one epoch, in order: `['loss', 'accuracy', 'val_loss', 'val_accuracy']`. */
  metrics: string[];
  /**
   * How the training steps run: `'compiled'` (a traced plan over persistent buffers, see
   * `compile`'s `jitCompile`) or `'tape'` (layer by layer under the gradient tape).
   */
  plan?: 'compiled' | 'tape';
}

/** The parts of a model a callback may use. */
export interface CallbackModel {
  readonly name: string;
  /** Set to true to end `fit` after the current batch. */
  stopTraining: boolean;
  readonly optimizer: { learningRate: number; readonly className: string } | null;
  /** Copies of the weights, which the caller owns (dispose them). */
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
}

type Maybe<T> = T | Promise<T>;

/**
 * A training callback: any object with some of these methods (async allowed), as a Keras
 * `Callback` subclass. `fit` awaits each hook before going on.
 */
export interface Callback {
  /**
   * How often `onBatchEnd` needs the loss and metric values: `'every'` batch (reads them back from
   * the device each batch; the default when `onBatchEnd` is present) or at each progress `'refresh'`.
   */
  batchLogs?: 'every' | 'refresh';
  /**
   * For `'refresh'` callbacks: whether the values should be read back after this batch (the
   * progress bar asks when it is time to redraw). Without it, `fit` reads them about every 100 ms.
   */
  wantsBatchValues?(batch: number): boolean;
  /**
   * Whether the batch hooks look at the model's weights (getWeights, predict, save...); default
   * true. A compiled training step writes its weights back into the model's variables before
   * each batch hook of such a callback; one that only prints (the progress bar) says false and
   * spares every batch that write-back (the weights are still current at epoch ends).
   */
  needsWeights?: boolean;
  setModel?(model: CallbackModel): void;
  setParams?(params: FitParams): void;
  /** Where to print messages (the `fit` writer). */
  setWriter?(writer: Writer): void;
  onTrainBegin?(logs: Logs): Maybe<void>;
  onTrainEnd?(logs: Logs): Maybe<void>;
  onEpochBegin?(epoch: number, logs: Logs): Maybe<void>;
  onEpochEnd?(epoch: number, logs: Logs): Maybe<void>;
  onBatchBegin?(batch: number, logs: Logs): Maybe<void>;
  onBatchEnd?(batch: number, logs: Logs): Maybe<void>;
}
