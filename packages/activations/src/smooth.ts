import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { defineActivation } from './define';
import { hardSigmoid } from './sigmoid-family';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU: `x·Φ(x)` with Φ the standard normal CDF (`approximate = false`, Keras's default), or the
 * tanh approximation `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
 */
export const gelu = defineActivation(
  'gelu',
  function gelu(x: Tensor, approximate = false): Tensor {
    if (typeof approximate !== 'boolean') {
      throw new Error(`gelu: approximate must be a boolean, got ${String(approximate)}`);
    }
    return T.tidy(() => {
      if (approximate) {
        const inner = T.mul(T.add(x, T.mul(T.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
        return T.mul(T.mul(x, 0.5), T.add(T.tanh(inner), 1));
      }
      return T.mul(T.mul(x, 0.5), T.add(T.erf(T.mul(x, Math.SQRT1_2)), 1));
    });
  },
  () => ({ approximate: false }),
);

/** SiLU (also called swish): `x·sigmoid(x)`. */
export const silu = defineActivation('silu', function silu(x: Tensor): Tensor {
  return T.tidy(() => T.mul(x, T.sigmoid(x)));
});

/** Alias of `silu`, as in Keras (`'swish'` serializes as `'silu'`). */
export const swish = silu;

/** Hard SiLU (hard swish): `x·relu6(x + 3) / 6`. */
export const hardSilu = defineActivation('hard_silu', function hardSilu(x: Tensor): Tensor {
  return T.tidy(() => T.mul(x, hardSigmoid(x)));
});

/** Alias of `hardSilu`, as in Keras. */
export const hardSwish = hardSilu;

/** Mish: `x·tanh(softplus(x))`. */
export const mish = defineActivation('mish', function mish(x: Tensor): Tensor {
  return T.tidy(() => T.mul(x, T.tanh(T.softplus(x))));
});
