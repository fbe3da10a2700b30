import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, Variable, DataType, NamedTensorMap, Scalar } from '@tensorflow/tfjs-core';

/** `base` when no live variable has that name, else the first free `base_1`, `base_2`, ... */
function freeName(base: string): string {
  const taken = tfc.engine().registeredVariables;
  if (!(base in taken)) return base;
  let i = 1;
  while (`${base}_${i}` in taken) i++;
  return `${base}_${i}`;
}

/**
 * A trainable (or not) mutable tensor: `variable(zeros([2, 2]), true, 'dense/kernel')`.
 *
 * Names are unique among live variables. `name` is used when no live variable has it; otherwise
 * the variable gets the first free one of `name_1`, `name_2`, ... (read it back from `v.name`).
 * tfjs itself throws on a duplicate name; two layers may legitimately share one (an explicit
 * `name`, a reloaded model). Without `name` (or with `''`), tfjs makes a unique one. A disposed
 * variable's name is free again.
 */
export function variable(initial: Tensor, trainable = true, name?: string, dtype?: DataType): Variable {
  if (name != null && typeof name !== 'string') throw new Error(`variable: name must be a string, got ${typeof name}`);
  return tfc.variable(initial, trainable, name ? freeName(name) : undefined, dtype);
}

/** Gradients of the scalar `f(...xs)` with respect to each of `xs`. */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => Tensor[] {
  return tfc.grads(f);
}

/** Value and gradients of the scalar `f(...xs)`. */
export function valueAndGrads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return tfc.valueAndGrads(f);
}

/** Value of `f()` and its gradients with respect to variables (all trainable ones when `varList` is omitted). */
export function variableGrads(f: () => Scalar, varList?: Variable[]): { value: Scalar; grads: NamedTensorMap } {
  return tfc.variableGrads(f, varList);
}

/**
 * An op with a hand-written gradient.
 * `customGrad((x, save) => { save([x]); return { value: x.square(), gradFunc: (dy, [x]) => [dy.mul(x).mul(2)] }; })`
 */
export const customGrad = tfc.customGrad;
