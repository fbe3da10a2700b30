// compile's way to an optimizer without the registry: an Optimizer object is used as is, and a
// name (or `{ className, config }`) goes through `get` once the registry (registry.ts, which holds
// every built-in optimizer and schedule) is loaded. Importing the package loads it, so in Node
// names always resolve at once; a page's bundle that passes `Adam(0.001)` to compile ships no
// registry, and one that passes a name loads it (`loadOptimizers`) when fit or evaluate starts.
import { createLazyRegistry, type LazyRegistry } from '@neurona/common';
import { isOptimizer } from './is-optimizer';
import type { Optimizer, Serialized } from './types';

/** Anything `get` accepts. */
export type OptimizerIdentifier = string | Optimizer | Serialized;

/** @internal the class names registry.ts registers, in its order (it checks this list at load). */
export const BUILTIN_OPTIMIZERS: readonly string[] = ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad'];

/** @internal the late-bound registry: registry.ts binds `get` when it loads. */
export const lazyOptimizers: LazyRegistry<OptimizerIdentifier, Optimizer> = /* @__PURE__ */ createLazyRegistry<OptimizerIdentifier, Optimizer>({
  kind: 'optimizer',
  builtins: BUILTIN_OPTIMIZERS.map((c) => [c, []] as const),
  load: () => import('./registry'),
  // Keras's order (the registry's), not sorted
  sort: false,
  invalid: (identifier) =>
    new Error(`Expected an optimizer name (${BUILTIN_OPTIMIZERS.join(', ')}), an optimizer or { className, config }, got ${identifier === null ? 'null' : typeof identifier}`),
});

/** True when the optimizer registry (`get`) is loaded: always in Node, in a bundle once something imports or loads it. */
export function optimizersLoaded(): boolean {
  return lazyOptimizers.loaded();
}

/**
 * Load the optimizer registry (every built-in optimizer and schedule, and `registerOptimizer`'s
 * table) so that `resolveOptimizer` builds names. Resolves at once where it is loaded already.
 */
export function loadOptimizers(): Promise<void> {
  return lazyOptimizers.load();
}

/**
 * `get` for compile: an Optimizer as is; a name or `{ className, config }` built through the
 * registry when it is loaded; otherwise (a bundle that has not loaded it yet) null, after checking
 * what can be checked without it: a name that is no built-in optimizer throws, listing them (a
 * contributed optimizer needs `registerOptimizer`, which loads the registry), and so does a value
 * that is neither a name, an optimizer nor `{ className, config }`.
 */
export function resolveOptimizer(identifier: OptimizerIdentifier): Optimizer | null {
  return isOptimizer(identifier) ? identifier : lazyOptimizers.resolve(identifier);
}
