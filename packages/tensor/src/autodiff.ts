import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, Variable, DataType, NamedTensorMap, Scalar } from '@tensorflow/tfjs-core';

/** A trainable (or not) mutable tensor. `variable(zeros([2, 2]), true, 'dense/kernel')` */
export function variable(initial: Tensor, trainable = true, name?: string, dtype?: DataType): Variable {
  return tfc.variable(initial, trainable, name, dtype);
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
