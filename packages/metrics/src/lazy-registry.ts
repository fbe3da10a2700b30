// Metrics by name without shipping every metric: each built-in is a loader, and `loadMetrics`
// imports the modules of the names it is given. `resolveMetric` is `get`'s logic over whatever is
// loaded (in Node everything is, since importing the package runs registry.ts). @neurona/models
// resolves compile's metrics through this module: `fit` and `evaluate` load them when they start,
// so a page's bundle carries only the metrics it names (as Keras 3 builds its compile metrics then).
import type { MetricConfig, MetricFactory, MetricFunction } from './types';
import { isMetric, type Metric } from './metric';
import { CallableMetricAdapter, isCallableMetric, type CallableMetric } from './legacy';
import { MeanMetricWrapper } from './wrapper';
import { classNames, registry, resolveAccuracy, shown, type MetricContext } from './registry-store';

/**
 * A thing `get` resolves to a metric: a name, a `Metric`, a per-sample function, a serialized
 * `{ className, config }`, or a 0.1-style callable metric (wrapped).
 */
export type MetricIdentifier = string | Metric | CallableMetric | MetricFunction | { className: string; config?: MetricConfig };

type Loader = () => Promise<MetricFactory>;
type LazyEntry = readonly [className: string, names: readonly string[], load: Loader];

// The modules of the lazy built-ins: one import per module (each import() site costs the bundle
// its own preload glue), shared by the metrics each module defines.
const topK = () => import('./top-k-accuracy');
const fScores = () => import('./f1-score-metric');
const means = () => import('./mean');
const errors = () => import('./error-metrics');

// Every built-in but the accuracies (registry-store registers those at once: compile's 'accuracy'
// needs them): class name, Keras names, and the module that defines it.
const LAZY: readonly LazyEntry[] = [
  ['TopKCategoricalAccuracy', ['top_k_categorical_accuracy'], async () => (await topK()).TopKCategoricalAccuracy],
  ['SparseTopKCategoricalAccuracy', ['sparse_top_k_categorical_accuracy'], async () => (await topK()).SparseTopKCategoricalAccuracy],
  ['Precision', ['precision'], async () => (await import('./precision')).Precision],
  ['Recall', ['recall'], async () => (await import('./recall')).Recall],
  ['F1Score', ['f1_score'], async () => (await fScores()).F1Score],
  ['FBetaScore', ['fbeta_score'], async () => (await fScores()).FBetaScore],
  ['AUC', ['auc'], async () => (await import('./auc')).AUC],
  ['Mean', ['mean'], async () => (await means()).Mean],
  ['Sum', ['sum'], async () => (await means()).Sum],
  ['MeanSquaredError', ['mean_squared_error', 'mse', 'MSE'], async () => (await errors()).MeanSquaredError],
  ['MeanAbsoluteError', ['mean_absolute_error', 'mae', 'MAE'], async () => (await errors()).MeanAbsoluteError],
  ['MeanAbsolutePercentageError', ['mean_absolute_percentage_error', 'mape', 'MAPE'], async () => (await errors()).MeanAbsolutePercentageError],
  ['MeanSquaredLogarithmicError', ['mean_squared_logarithmic_error', 'msle', 'MSLE'], async () => (await errors()).MeanSquaredLogarithmicError],
];

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Every accepted name of a lazy built-in (class name, Keras names, camelCase) → its entry. */
const lazyByName: Map<string, LazyEntry> = new Map(
  LAZY.flatMap((e) => [e[0], ...e[1], ...e[1].map(camel)].map((n) => [n, e] as const)),
);

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

function unknown(name: string): Error {
  const known = new Set([...shown, ...LAZY.flatMap((e) => e[1])]);
  return new Error(`Unknown metric "${name}". Known metrics: ${[...known].sort().join(', ')}`);
}

/** The factory registered under `name`, or an error: unknown, or a built-in not loaded yet. */
function factoryOf(name: string): MetricFactory {
  const f = registry.get(name);
  if (f) return f;
  if (lazyByName.has(name)) {
    throw new Error(`Metric "${name}" is not loaded yet: fit and evaluate load the metrics compile names; elsewhere, await loadMetrics(["${name}"]) of @neurona/metrics first`);
  }
  throw unknown(name);
}

/** The names a metric identifier needs from the registry (none for a Metric or a function). */
function namesOf(identifier: unknown): string[] {
  if (typeof identifier === 'string') return [identifier];
  if (identifier !== null && typeof identifier === 'object' && typeof (identifier as { className?: unknown }).className === 'string') {
    return [(identifier as { className: string }).className];
  }
  return [];
}

/**
 * Load the modules of the built-in metrics `identifiers` name (names or `{ className, config }`),
 * so that `resolveMetric` (and `get`) can build them; names already registered, Metric objects
 * and functions need nothing. In Node every built-in is loaded at import and this resolves at once;
 * in a bundle it downloads only the named metrics' code. Unknown names are left for
 * `resolveMetric` to report.
 */
export async function loadMetrics(identifiers: readonly unknown[]): Promise<void> {
  const wanted = new Set(identifiers.flatMap(namesOf).filter((n) => !registry.has(n)));
  const entries = [...new Set([...wanted].flatMap((n): LazyEntry[] => { const e = lazyByName.get(n); return e ? [e] : []; }))];
  const factories = await Promise.all(entries.map(([, , load]) => load()));
  entries.forEach(([className, names], i) => {
    // a name the user registered meanwhile (registerMetric) keeps their metric
    for (const n of [className, ...names, ...names.map(camel)]) if (!registry.has(n)) registry.set(n, factories[i]);
    classNames.add(className);
    for (const n of names) shown.add(n);
  });
}

/**
 * Check an identifier as compile does, without loading anything: an unknown name throws, listing
 * the known ones; a built-in not loaded yet passes (it loads when fit or evaluate starts); a Metric,
 * a function or a loaded `{ className, config }` is built and checked as `get` does.
 */
export function checkMetric(identifier: MetricIdentifier): void {
  const names = namesOf(identifier);
  if (names.some((n) => !registry.has(n) && lazyByName.has(n))) return;
  const made = resolveMetric(identifier);
  if (made !== identifier) made.dispose();
}

/** True when every name among `identifiers` is registered (loaded), so `resolveMetric` can build it. */
export function metricsLoaded(identifiers: readonly unknown[]): boolean {
  return identifiers.flatMap(namesOf).every((n) => registry.has(n) || !lazyByName.has(n));
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
  throw new Error(
    `metrics.get: expects a metric name, a Metric, a function or { className, config }, got ${JSON.stringify(identifier)}`,
  );
}
