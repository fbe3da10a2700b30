import type { Optimizer } from './types';

/** True for objects that implement the optimizer contract. */
export function isOptimizer(x: unknown): x is Optimizer {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Optimizer).applyGradients === 'function' &&
    typeof (x as Optimizer).getConfig === 'function'
  );
}
