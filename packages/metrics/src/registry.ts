import type { MetricConfig, MetricFactory, MetricFunction } from './types';
import { isMetric, type Metric } from './metric';
import { CallableMetricAdapter, isCallableMetric, type CallableMetric } from './legacy';
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
import { MeanMetricWrapper } from './wrapper';

/**
 * A thing `get` resolves to a metric: a name, a `Metric`, a per-sample function, a serialized
 * `{ className, config }`, or a 0.1-style callable metric (wrapped).
 */
export type MetricIdentifier = string | Metric | CallableMetric | MetricFunction | { className: string; config?: MetricConfig };

/** What `get` needs to resolve `'accuracy'` as Keras's compile does. */
export interface MetricContext {
  /** The compiled loss's name or class name (`'binary_crossentropy'`, `'SparseCategoricalCrossentropy'`...). */
  lossName?: string;
  /** Units of the model output this metric watches (the last dimension of yPred). */
  outputUnits?: number;
}

/** The registry: every accepted name (Keras snake_case, aliases, camelCase, class name) → factory. */
export const registry: Map<string, MetricFactory> = new Map();
const classNames: Set<string> = new Set();
const shown: Set<string> = new Set();

function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function add(factory: MetricFactory, className: string, names: string[]): void {
  registry.set(className, factory);
  classNames.add(className);
  for (const n of names) {
    registry.set(n, factory);
    registry.set(camel(n), factory);
    shown.add(n);
  }
}

const lossKey = (s: string) => s.toLowerCase().replace(/_/g, '');

/** Keras's choice for `'accuracy'`: binary, sparse categorical or categorical. */
function resolveAccuracy(name: string, ctx: MetricContext): Metric {
  const loss = ctx.lossName === undefined ? '' : lossKey(ctx.lossName);
  if (loss === 'binarycrossentropy' || loss === 'binaryfocalcrossentropy' || ctx.outputUnits === 1) {
    return BinaryAccuracy({ name });
  }
  if (loss === 'sparsecategoricalcrossentropy') return SparseCategoricalAccuracy({ name });
  return CategoricalAccuracy({ name });
}

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
for (const [f, c, n] of builtins) add(f, c, n);
// 'accuracy' without context is categorical; get() with { lossName, outputUnits } decides as Keras
for (const n of ['accuracy', 'acc']) {
  registry.set(n, (config?: MetricConfig) => resolveAccuracy(typeof config?.name === 'string' ? config.name : n, {}));
  shown.add(n);
}

// a Metric as is; a 0.1-style callable wrapped once (so a registered one stays one object)
const adapted = new WeakMap<CallableMetric, Metric>();
function asMetric(x: unknown, where: string): Metric {
  if (isMetric(x)) return x;
  if (isCallableMetric(x)) {
    let m = adapted.get(x);
    if (!m) {
      m = new CallableMetricAdapter(x);
      adapted.set(x, m);
    }
    return m;
  }
  throw new Error(`${where}: expected a Metric, got ${x === null ? 'null' : typeof x}`);
}

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

function unknown(name: string): Error {
  return new Error(`Unknown metric "${name}". Known metrics: ${[...shown].sort().join(', ')}`);
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
  if (typeof identifier === 'string') {
    if (identifier === 'accuracy' || identifier === 'acc') return resolveAccuracy(identifier, context);
    const f = registry.get(identifier);
    if (!f) throw unknown(identifier);
    // a class name keeps the class's default name; any other string is the History key
    return classNames.has(identifier) ? f() : f({ name: identifier });
  }
  if (isMetric(identifier) || isCallableMetric(identifier)) return asMetric(identifier, 'metrics.get');
  if (typeof identifier === 'function') return MeanMetricWrapper(identifier as MetricFunction);
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.className === 'string') {
    const f = registry.get(identifier.className);
    if (!f) throw unknown(identifier.className);
    return f(identifier.config ?? {});
  }
  throw new Error(
    `metrics.get: expects a metric name, a Metric, a function or { className, config }, got ${JSON.stringify(identifier)}`,
  );
}

/** `{ className, config }` of a metric; `get` rebuilds it. */
export function serialize(metric: Metric | CallableMetric): { className: string; config: MetricConfig } {
  if (!isMetric(metric) && !isCallableMetric(metric)) throw new Error(`metrics.serialize: expects a Metric (with className), got ${typeof metric}`);
  const m = asMetric(metric, 'metrics.serialize');
  return { className: m.className, config: m.getConfig() };
}
