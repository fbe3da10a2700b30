import type { Tensor } from '@neurona/tensor';

/** A JSON-safe configuration value. */
export type ConfigValue = string | number | boolean | null;

/** What `getConfig()` returns: plain JSON data with camelCase keys. */
export type MetricConfig = Record<string, ConfigValue>;

/**
 * A metric: `metric(yTrue, yPred)` returns the mean over the batch as a scalar tensor (models
 * weight batches by their size to get the epoch value).
 */
export type Metric = ((yTrue: Tensor, yPred: Tensor) => Tensor) & {
  /** The Keras class name, e.g. `'CategoricalAccuracy'`. */
  readonly className: string;
  /** The History key: the name the user gave (`'accuracy'`, `'acc'`) or the Keras default. */
  readonly name: string;
  /** Plain JSON configuration (camelCase keys, `name` included) that rebuilds the metric. */
  getConfig(): MetricConfig;
};

/** Builds a metric from a configuration, as the registry stores them. */
export type MetricFactory = (config?: MetricConfig) => Metric;

/** A per-sample metric function: `(yTrue, yPred) => [batch]`, as Keras's metric functions. */
export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;
