import type { Tensor } from '@neurona/tensor';
import type { Metric } from './metric';

/** A JSON-safe configuration value (AUC's `thresholds` and `labelWeights` are arrays). */
export type ConfigValue = string | number | boolean | null | ConfigValue[];

/** What `getConfig()` returns: plain JSON data with camelCase keys. */
export type MetricConfig = Record<string, ConfigValue>;

/** Builds a metric from a configuration, as the registry stores them. */
export type MetricFactory = (config?: MetricConfig) => Metric;

/** A per-sample metric function: `(yTrue, yPred) => [batch]`, as Keras's metric functions. */
export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;
