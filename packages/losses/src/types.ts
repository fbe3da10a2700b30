import type { Tensor } from '@neurona/tensor';

/**
 * How per-sample losses become the returned value:
 * `'mean'` (Keras's `sum_over_batch_size`: sum of weighted losses divided by their count),
 * `'sum'`, or `'none'` (the per-sample values, shape `[batch]`).
 */
export type Reduction = 'mean' | 'sum' | 'none';

/** Reduction names accepted on input: ours plus Keras's spellings. */
export type ReductionName = Reduction | 'sum_over_batch_size' | 'auto';

/** A JSON-safe configuration value. */
export type ConfigValue = string | number | boolean | null;

/** What `getConfig()` returns: plain JSON data with camelCase keys. */
export type LossConfig = Record<string, ConfigValue>;

/** Options every loss factory accepts. */
export interface BaseLossOptions {
  /** `'mean'` (default), `'sum'` or `'none'`; Keras's `'sum_over_batch_size'` and `'auto'` mean `'mean'`. */
  reduction?: ReductionName;
  /** The name shown in logs and History; defaults to the Keras function name. */
  name?: string;
}

/** A per-sample loss function: `(yTrue, yPred) => [batch]`, as Keras's loss functions. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * A configured loss: call it as `loss(yTrue, yPred, sampleWeight?)`. Returns a scalar
 * (reduction `'mean'` or `'sum'`) or per-sample values `[batch]` (`'none'`).
 */
export type Loss = ((yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor) => Tensor) & {
  /** The Keras class name, e.g. `'CategoricalCrossentropy'`. */
  readonly className: string;
  /** The Keras snake_case function name, e.g. `'categorical_crossentropy'` (or the user's `name`). */
  readonly name: string;
  /** The reduction in use. */
  readonly reduction: Reduction;
  /** Plain JSON configuration (camelCase keys) that rebuilds this loss through its factory. */
  getConfig(): LossConfig;
};

/** Builds a loss from a configuration, as the registry stores them. */
export type LossFactory = (config?: LossConfig) => Loss;
