// Metrics by name without shipping every metric: each built-in is a loader, and `loadMetrics`
// imports the modules of the names it is given. `resolveMetric` is `get`'s logic over whatever is
// loaded (in Node everything is, since importing the package runs registry.ts). @neurona/models
// resolves compile's metrics through this module: `fit` and `evaluate` load them when they start,
// so a page's bundle carries only the metrics it names (as Keras 3 builds its compile metrics then).
import { createLazyRegistry, type LazyRegistry } from '@neurona/common';
import type { MetricConfig, MetricFactory, MetricFunction } from './types';
import { isMetric, type Metric } from './metric';
import { CallableMetricAdapter, isCallableMetric, type CallableMetric } from './legacy';
import { MeanMetricWrapper } from './wrapper';
import { addBuiltin, classNames, registry, resolveAccuracy, shown, type MetricContext } from './registry-store';

/**
 * A thing `get` resolves to a metric: a name, a `Metric`, a per-sample function, a serialized
 * `{ className, config }`, or a 0.1-style callable metric (wrapped).
 */
export type MetricIdentifier = string | Metric | CallableMetric | MetricFunction | { className: string; config?: MetricConfig };

// The modules of the lazy built-ins, one loader each (a module that defines several metrics
// loads once for all of them). Each exports its metrics' factories under their class names.
const topK = () => import('./top-k-accuracy');
const fScores = () => import('./f1-score-metric');
const means = () => import('./mean');
const errors = () => import('./error-metrics');

/** What `get` says of a value that is no metric, name, function or `{ className, config }`. */
const invalid = (identifier: unknown): Error =>
  new Error(`metrics.get: expects a metric name, a Metric, a function or { className, config }, got ${JSON.stringify(identifier)}`);

/**
 * @internal every built-in but the accuracies (registry-store registers those at once: compile's
 * 'accuracy' needs them): class name, Keras names, and the module that defines it. registry.ts
 * binds `get` when it loads, having registered every built-in itself.
 */
export const lazyMetrics: LazyRegistry<MetricIdentifier, Metric> = /* @__PURE__ */ createLazyRegistry<MetricIdentifier, Metric>({
  kind: 'metric',
  builtins: [
    ['TopKCategoricalAccuracy', ['top_k_categorical_accuracy'], topK],
    ['SparseTopKCategoricalAccuracy', ['sparse_top_k_categorical_accuracy'], topK],
    ['Precision', ['precision'], () => import('./precision')],
    ['Recall', ['recall'], () => import('./recall')],
    ['F1Score', ['f1_score'], fScores],
    ['FBetaScore', ['fbeta_score'], fScores],
    ['AUC', ['auc'], () => import('./auc')],
    ['Mean', ['mean'], means],
    ['Sum', ['sum'], means],
    ['MeanSquaredError', ['mean_squared_error', 'mse', 'MSE'], errors],
    ['MeanAbsoluteError', ['mean_absolute_error', 'mae', 'MAE'], errors],
    ['MeanAbsolutePercentageError', ['mean_absolute_percentage_error', 'mape', 'MAPE'], errors],
    ['MeanSquaredLogarithmicError', ['mean_squared_logarithmic_error', 'msle', 'MSLE'], errors],
  ],
  // the names registry-store registers: exact, plus the camelCase of each Keras name
  loose: false,
  invalid,
  onLoad: (className, names, module) => addBuiltin((module as Record<string, MetricFactory>)[className], className, names),
});

// a Metric as is; a 0.1-style callable wrapped once (so a registered one stays one object)
const adapted = new WeakMap<CallableMetric, Metric>();

/** `x` as a Metric (a 0.1-style callable adapted, once), or an error naming `where`. */
export function asMetric(x: unknown, where: string): Metric {
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

/** The factory registered under `name`, or an error: unknown, or a built-in not loaded yet. */
function factoryOf(name: string): MetricFactory {
  const f = registry.get(name);
  if (f) return f;
  // not registered: a lazy built-in (registered once loaded) or an unknown name
  if (!lazyMetrics.loaded([name])) {
    throw new Error(`Metric "${name}" is not loaded yet: fit and evaluate load the metrics compile names; elsewhere, await loadMetrics(["${name}"]) of @neurona/metrics first`);
  }
  throw lazyMetrics.unknown(name, shown);
}

/**
 * Load the modules of the built-in metrics `identifiers` name (names or `{ className, config }`),
 * so that `resolveMetric` (and `get`) can build them; names already registered, Metric objects
 * and functions need nothing. In Node every built-in is loaded at import and this resolves at once;
 * in a bundle it downloads only the named metrics' code. Unknown names are left for
 * `resolveMetric` to report.
 */
export function loadMetrics(identifiers: readonly unknown[]): Promise<void> {
  return lazyMetrics.load(identifiers);
}

/**
 * Check an identifier as compile does, without loading anything: an unknown name throws, listing
 * the known ones; a built-in not loaded yet passes (it loads when fit or evaluate starts); a Metric,
 * a function or a loaded `{ className, config }` is built and checked as `get` does.
 */
export function checkMetric(identifier: MetricIdentifier): void {
  if (!lazyMetrics.loaded([identifier])) return;
  const made = resolveMetric(identifier);
  if (made !== identifier) made.dispose();
}

/** True when every name among `identifiers` is registered (loaded), so `resolveMetric` can build it. */
export function metricsLoaded(identifiers: readonly unknown[]): boolean {
  return lazyMetrics.loaded(identifiers);
}

/**
 * `get`, over the metrics loaded so far: a built-in whose module has not been loaded
 * (`loadMetrics`) throws saying so. In Node, and wherever `get` is imported, every built-in is
 * loaded and this is `get` exactly.
 */
export function resolveMetric(identifier: MetricIdentifier, context: MetricContext = {}): Metric {
  if (typeof identifier === 'string') {
    if (identifier === 'accuracy' || identifier === 'acc') return resolveAccuracy(identifier, context);
    const f = factoryOf(identifier);
    // a class name keeps the class's default name; any other string is the History key
    return classNames.has(identifier) ? f() : f({ name: identifier });
  }
  if (isMetric(identifier) || isCallableMetric(identifier)) return asMetric(identifier, 'metrics.get');
  if (typeof identifier === 'function') return MeanMetricWrapper(identifier as MetricFunction);
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.className === 'string') {
    return factoryOf(identifier.className)(identifier.config ?? {});
  }
  throw invalid(identifier);
}
