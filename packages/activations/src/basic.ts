import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { defineActivation } from './define';

/** The identity: returns `x` itself (no activation), as Keras's `linear`. */
export const linear = defineActivation('linear', function linear(x: Tensor): Tensor {
  return x;
});

/** `exp(x)`. */
export const exponential = defineActivation('exponential', function exponential(x: Tensor): Tensor {
  return T.exp(x);
});
