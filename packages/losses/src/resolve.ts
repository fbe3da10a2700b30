// compile's way to a loss without the registry: a Loss is used as is, a per-sample function is
// wrapped, and a name (or `{ className, config }`) goes through `get` once the registry
// (registry.ts, which holds every built-in loss) is loaded. Importing the package loads it, so in
// Node names always resolve at once; a page's bundle that passes `CategoricalCrossentropy()` to
// compile ships no registry, and one that passes a name loads it (`loadLosses`) when fit or
// evaluate starts.
import { createLazyRegistry, type LazyRegistry } from '@neurona/common';
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

/** @internal the late-bound registry: registry.ts binds `get` when it loads. */
export const lazyLosses: LazyRegistry<LossIdentifier, Loss> = /* @__PURE__ */ createLazyRegistry<LossIdentifier, Loss>({
  kind: 'loss',
  plural: 'losses',
  builtins: BUILTIN_LOSSES,
  load: () => import('./registry'),
  invalid: (identifier) => new Error(`losses.get: expects a loss name, a Loss, a function or { className, config }, got ${JSON.stringify(identifier)}`),
});

/** True when the loss registry (`get`) is loaded: always in Node, in a bundle once something imports or loads it. */
export function lossesLoaded(): boolean {
  return lazyLosses.loaded();
}

/** Load the loss registry (every built-in loss, and `registerLoss`'s table); at once where it is loaded already. */
export function loadLosses(): Promise<void> {
  return lazyLosses.load();
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
  // what `get` does with a function too, loaded or not
  if (typeof identifier === 'function') return LossFunctionWrapper(identifier);
  return lazyLosses.resolve(identifier);
}
