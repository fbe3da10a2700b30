import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { defineActivation } from './define';

/**
 * `1 / (1 + exp(−x))`. The output carries its logits `x` (`logitsOf` of @neurona/tensor), so
 * binary cross-entropy computes from them in the stable form, as Keras does.
 */
export const sigmoid = defineActivation('sigmoid', function sigmoid(x: Tensor): Tensor {
  return T.withLogits(T.sigmoid(x), x, 'sigmoid');
});

/** Hyperbolic tangent. */
export const tanh = defineActivation('tanh', function tanh(x: Tensor): Tensor {
  return T.tanh(x);
});

/** Keras 3's hard sigmoid: `relu6(x + 3) / 6` (Keras 2 used `clip(0.2·x + 0.5, 0, 1)`). */
export const hardSigmoid = defineActivation('hard_sigmoid', function hardSigmoid(x: Tensor): Tensor {
  return T.tidy(() => T.mul(T.relu6(T.add(x, 3)), 1 / 6));
});

/** `log(1 + exp(x))`, computed without overflow. */
export const softplus = defineActivation('softplus', function softplus(x: Tensor): Tensor {
  return T.softplus(x);
});

/** `x / (1 + |x|)`. */
export const softsign = defineActivation('softsign', function softsign(x: Tensor): Tensor {
  return T.tidy(() => T.div(x, T.add(T.abs(x), 1)));
});

/** `log(sigmoid(x))`, computed as `−softplus(−x)` so it stays finite for large |x|. */
export const logSigmoid = defineActivation('log_sigmoid', function logSigmoid(x: Tensor): Tensor {
  return T.logSigmoid(x);
});
