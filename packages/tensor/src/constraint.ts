import type { Tensor, Variable } from '@tensorflow/tfjs-core';

// A variable's constraint, as Keras's `Variable.constraint`: a projection the optimizer applies
// after each update (`v.assign(constraint(v))`). Kept beside the variable (weakly, so a disposed
// variable takes it along) because layers make variables and optimizers update them, and
// neither package knows the other.
// On globalThis, as the rest of the library's state: the ESM and CJS builds share it.
const KEY = Symbol.for('@neurona/tensor/constraints');
const CONSTRAINTS = ((globalThis as unknown as Record<symbol, WeakMap<Variable, (w: Tensor) => Tensor> | undefined>)[KEY] ??= new WeakMap());

/** Give `v` a constraint that optimizers apply after every update (`null` removes it). */
export function setVariableConstraint(v: Variable, constraint: ((w: Tensor) => Tensor) | null): void {
  if (constraint) CONSTRAINTS.set(v, constraint);
  else CONSTRAINTS.delete(v);
}

/** The constraint of `v`, or null. */
export function variableConstraint(v: Variable): ((w: Tensor) => Tensor) | null {
  return CONSTRAINTS.get(v) ?? null;
}
