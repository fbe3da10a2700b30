// The metric registry's tables, shared by `get` (registry.ts, which fills every built-in at import)
// and the lazy resolver (lazy-registry.ts, which fills a built-in when it is loaded). In Node,
// importing the package runs registry.ts, so both see every built-in at once; a page's bundler
// keeps registry.ts only when the page calls `get`, and loads the metrics it names on demand.
import { looseName, toCamelCase } from '@neurona/common';
import type { MetricConfig, MetricFactory } from './types';
import type { Metric } from './metric';
import { BinaryAccuracy } from './binary-accuracy';
import { CategoricalAccuracy } from './categorical-accuracy';
import { SparseCategoricalAccuracy } from './sparse-categorical-accuracy';

/** The registry: every accepted name (Keras snake_case, aliases, camelCase, class name) → factory. */
export const registry: Map<string, MetricFactory> = new Map();
/** Registered class names: `get(className)` keeps the class's default name. */
export const classNames: Set<string> = new Set();
/** The names listed in the unknown-metric error. */
export const shown: Set<string> = new Set();

/** Register a built-in under its class name, its Keras names and their camelCase forms. */
export function addBuiltin(factory: MetricFactory, className: string, names: readonly string[]): void {
  registry.set(className, factory);
  classNames.add(className);
  for (const n of names) {
    registry.set(n, factory);
    registry.set(toCamelCase(n), factory);
    shown.add(n);
  }
}

/** What `get` needs to resolve `'accuracy'` as Keras's compile does. */
export interface MetricContext {
  /** The compiled loss's name or class name (`'binary_crossentropy'`, `'SparseCategoricalCrossentropy'`...). */
  lossName?: string;
  /** Units of the model output this metric watches (the last dimension of yPred). */
  outputUnits?: number;
}

/** Keras's choice for `'accuracy'`: binary, sparse categorical or categorical. */
export function resolveAccuracy(name: string, ctx: MetricContext): Metric {
  const loss = ctx.lossName === undefined ? '' : looseName(ctx.lossName);
  if (loss === 'binarycrossentropy' || loss === 'binaryfocalcrossentropy' || ctx.outputUnits === 1) {
    return BinaryAccuracy({ name });
  }
  if (loss === 'sparsecategoricalcrossentropy') return SparseCategoricalAccuracy({ name });
  return CategoricalAccuracy({ name });
}

// The accuracies are always here (compile's 'accuracy' resolves to one of them); the other
// built-ins are added when loaded (lazy-registry.ts) or all at once by registry.ts.
addBuiltin(BinaryAccuracy, 'BinaryAccuracy', ['binary_accuracy']);
addBuiltin(CategoricalAccuracy, 'CategoricalAccuracy', ['categorical_accuracy']);
addBuiltin(SparseCategoricalAccuracy, 'SparseCategoricalAccuracy', ['sparse_categorical_accuracy']);
// 'accuracy' without context is categorical; get() with { lossName, outputUnits } decides as Keras
for (const n of ['accuracy', 'acc']) {
  registry.set(n, (config?: MetricConfig) => resolveAccuracy(typeof config?.name === 'string' ? config.name : n, {}));
  shown.add(n);
}
