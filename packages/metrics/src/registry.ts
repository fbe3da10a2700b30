// `get` and the registry with every built-in metric, registered at import (a page that imports
// `get` ships them all; @neurona/models resolves compile's names through lazy-registry.ts instead).
import type { MetricConfig, MetricFactory } from './types';
import { isMetric, type Metric } from './metric';
import { isCallableMetric, type CallableMetric } from './legacy';
import { AUC } from './auc';
import { Mean, Sum } from './mean';
import { BinaryAccuracy } from './binary-accuracy';
import { CategoricalAccuracy } from './categorical-accuracy';
import { SparseCategoricalAccuracy } from './sparse-categorical-accuracy';
import { TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy } from './top-k-accuracy';
import { Precision } from './precision';
import { Recall } from './recall';
import { F1Score, FBetaScore } from './f1-score-metric';
import {
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
} from './error-metrics';
import { addBuiltin, registry, shown, type MetricContext } from './registry-store';
import { asMetric, lazyMetrics, resolveMetric, type MetricIdentifier } from './lazy-registry';

export { registry, type MetricContext, type MetricIdentifier };

const builtins: [MetricFactory, string, string[]][] = [
  [BinaryAccuracy, 'BinaryAccuracy', ['binary_accuracy']],
  [CategoricalAccuracy, 'CategoricalAccuracy', ['categorical_accuracy']],
  [SparseCategoricalAccuracy, 'SparseCategoricalAccuracy', ['sparse_categorical_accuracy']],
  [TopKCategoricalAccuracy, 'TopKCategoricalAccuracy', ['top_k_categorical_accuracy']],
  [SparseTopKCategoricalAccuracy, 'SparseTopKCategoricalAccuracy', ['sparse_top_k_categorical_accuracy']],
  [Precision, 'Precision', ['precision']],
  [Recall, 'Recall', ['recall']],
  [F1Score, 'F1Score', ['f1_score']],
  [FBetaScore, 'FBetaScore', ['fbeta_score']],
  [AUC, 'AUC', ['auc']],
  [Mean, 'Mean', ['mean']],
  [Sum, 'Sum', ['sum']],
  [MeanSquaredError, 'MeanSquaredError', ['mean_squared_error', 'mse', 'MSE']],
  [MeanAbsoluteError, 'MeanAbsoluteError', ['mean_absolute_error', 'mae', 'MAE']],
  [MeanAbsolutePercentageError, 'MeanAbsolutePercentageError', ['mean_absolute_percentage_error', 'mape', 'MAPE']],
  [MeanSquaredLogarithmicError, 'MeanSquaredLogarithmicError', ['mean_squared_logarithmic_error', 'msle', 'MSLE']],
];
for (const [f, c, n] of builtins) addBuiltin(f, c, n);

/**
 * Add a contributed metric so `get(name)` finds it: a `Metric` (returned as is by `get(name)`), or a
 * factory from config (`registerMetric('MyMetric', (c) => new MyMetric(c))`). A Metric is also
 * registered under its className.
 */
export function registerMetric(name: string, factory: MetricFactory): void;
export function registerMetric(name: string, metric: Metric | CallableMetric): void;
export function registerMetric(name: string, metric: Metric | CallableMetric | MetricFactory): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`registerMetric: name must be a non-empty string, got ${String(name)}`);
  }
  if (typeof metric !== 'function') {
    throw new Error(`registerMetric: expects a Metric or a factory (config) => Metric, got ${typeof metric}`);
  }
  let factory: MetricFactory;
  if (isMetric(metric) || isCallableMetric(metric)) {
    const m = asMetric(metric, 'registerMetric');
    factory = () => m;
    if (!registry.has(m.className)) registry.set(m.className, factory);
  } else {
    const make = metric as MetricFactory;
    factory = (config?: MetricConfig) => asMetric(make(config), `metrics.get("${name}"): the registered factory returned a non-metric`);
  }
  registry.set(name, factory);
  shown.add(name);
}

/**
 * Resolve a metric as Keras's compile does. A name gives a new metric whose `name` (the History
 * key) is the string given: `get('mae').name === 'mae'`. `'accuracy'`/`'acc'` become binary accuracy
 * when `lossName` is binary cross-entropy or `outputUnits` is 1, sparse categorical accuracy when
 * `lossName` is sparse categorical cross-entropy, else categorical accuracy — keeping the name given.
 * A `Metric` is returned as is, a plain per-sample function is wrapped (`MeanMetricWrapper`),
 * `{ className, config }` is rebuilt, a 0.1-style callable metric is adapted (`CallableMetricAdapter`).
 */
export function get(identifier: MetricIdentifier, context: MetricContext = {}): Metric {
  return resolveMetric(identifier, context);
}

/** `{ className, config }` of a metric; `get` rebuilds it. */
export function serialize(metric: Metric | CallableMetric): { className: string; config: MetricConfig } {
  if (!isMetric(metric) && !isCallableMetric(metric)) throw new Error(`metrics.serialize: expects a Metric (with className), got ${typeof metric}`);
  const m = asMetric(metric, 'metrics.serialize');
  return { className: m.className, config: m.getConfig() };
}

// every built-in is registered above: the lazy resolver (lazy-registry.ts) has nothing left to load
lazyMetrics.bind(get);
