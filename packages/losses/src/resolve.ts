// compile's way to a loss without the registry: a Loss is used as is, a per-sample function is
// wrapped, and a name (or `{ className, config }`) goes through `get` once the registry
// (registry.ts, which holds every built-in loss) is loaded. Importing the package loads it, so in
// Node names always resolve at once; a page's bundle that passes `CategoricalCrossentropy()` to
// compile ships no registry, and one that passes a name loads it (`loadLosses`) when fit or
// evaluate starts.
import { looseName } from '@neurona/common';
import { isLoss } from './is-loss';
import type { Loss, LossConfig, LossFunction } from './types';
import { LossFunctionWrapper } from './wrapper';

/** A thing `get` resolves to a loss. */
export type LossIdentifier = string | Loss | LossFunction | { className: string; config?: LossConfig };

/** @internal every built-in loss: class name and Keras function names (registry.ts registers these). */
export const BUILTIN_LOSSES: readonly (readonly [className: string, names: readonly string[]])[] = [
  ['MeanSquaredError', ['mean_squared_error', 'mse']],
  ['MeanAbsoluteError', ['mean_absolute_error', 'mae']],
  ['MeanAbsolutePercentageError', ['mean_absolute_percentage_error', 'mape']],
  ['MeanSquaredLogarithmicError', ['mean_squared_logarithmic_error', 'msle']],
  ['LogCosh', ['log_cosh', 'logcosh']],
  ['Huber', ['huber', 'huber_loss']],
  ['BinaryCrossentropy', ['binary_crossentropy']],
  ['CategoricalCrossentropy', ['categorical_crossentropy']],
  ['SparseCategoricalCrossentropy', ['sparse_categorical_crossentropy']],
  ['Hinge', ['hinge']],
  ['SquaredHinge', ['squared_hinge']],
  ['CategoricalHinge', ['categorical_hinge']],
  ['KLDivergence', ['kl_divergence', 'kld', 'kullback_leibler_divergence']],
  ['Poisson', ['poisson']],
];

let loadedGet: ((identifier: LossIdentifier) => Loss) | null = null;

/** @internal set by registry.ts when it loads. */
export function setLoadedGet(get: (identifier: LossIdentifier) => Loss): void {
  loadedGet = get;
}

/** True when the loss registry (`get`) is loaded: always in Node, in a bundle once something imports or loads it. */
export function lossesLoaded(): boolean {
  return loadedGet !== null;
}

/** Load the loss registry (every built-in loss, and `registerLoss`'s table); at once where it is loaded already. */
export async function loadLosses(): Promise<void> {
  if (loadedGet === null) await import('./registry');
}

/**
 * `get` for compile: a Loss as is, a per-sample function wrapped (`LossFunctionWrapper`), a name
 * or `{ className, config }` built through the registry when it is loaded; otherwise (a bundle
 * that has not loaded it yet) null, after checking what can be checked without it: a name that is
 * no built-in loss throws, listing them (a contributed loss needs `registerLoss`, which loads the
 * registry), and so does a value of another kind.
 */
export function resolveLoss(identifier: LossIdentifier): Loss | null {
  if (isLoss(identifier)) return identifier;
  if (loadedGet !== null) return loadedGet(identifier);
  if (typeof identifier === 'function') return LossFunctionWrapper(identifier);
  const name = typeof identifier === 'string' ? identifier : typeof identifier === 'object' && identifier !== null && typeof identifier.className === 'string' ? identifier.className : null;
  if (name === null) {
    throw new Error(`losses.get: expects a loss name, a Loss, a function or { className, config }, got ${JSON.stringify(identifier)}`);
  }
  if (!BUILTIN_LOSSES.some(([c, names]) => [c, ...names].some((n) => looseName(n) === looseName(name)))) {
    const known = BUILTIN_LOSSES.flatMap(([, names]) => names).sort();
    throw new Error(`Unknown loss "${name}". Known losses: ${known.join(', ')}`);
  }
  return null;
}
