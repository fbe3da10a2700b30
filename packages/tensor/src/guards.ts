import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';

/**
 * True when `x` is a tensor of the tfjs-core instance neurona runs on (a Variable is one too).
 * `isTensor(tensor1d([1]))` → true; plain arrays, typed arrays and tensor-like objects → false.
 */
export function isTensor(x: unknown): x is Tensor {
  return x instanceof tfc.Tensor;
}

/** True when `x` is a Variable (a mutable tensor made by `variable`) of that tfjs-core instance. */
export function isVariable(x: unknown): x is Variable {
  return x instanceof tfc.Variable;
}
