import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { defineActivation, checkFinite } from './define';

/** `max(0, x)`. */
export const relu = defineActivation('relu', function relu(x: Tensor): Tensor {
  return T.relu(x);
});

/** `min(max(0, x), 6)`. */
export const relu6 = defineActivation('relu6', function relu6(x: Tensor): Tensor {
  return T.relu6(x);
});

/** Leaky ReLU as the course writes it: `max(alpha·x, x)`, alpha 0.1 by default (Keras uses 0.2). */
export const leakyRelu = defineActivation(
  'leaky_relu',
  function leakyRelu(x: Tensor, alpha = 0.1): Tensor {
    checkFinite('leaky_relu: alpha', alpha);
    // For alpha <= 1, max(alpha·x, x) is the piecewise kernel tfjs has; above 1 the two
    // definitions differ, and the course's max form is the one we promise.
    return alpha <= 1 ? T.leakyRelu(x, alpha) : T.tidy(() => T.maximum(T.mul(x, alpha), x));
  },
  () => ({ alpha: 0.1 }),
);

/** ELU: `x` for x > 0, `alpha·(exp(x) − 1)` otherwise. */
export const elu = defineActivation(
  'elu',
  function elu(x: Tensor, alpha = 1): Tensor {
    checkFinite('elu: alpha', alpha);
    if (alpha === 1) return T.elu(x);
    // relu(x) + alpha·expm1(min(x, 0)): no `where` (its mask has no gradient in tfjs), and
    // min(x, 0) keeps exp finite for large x so the gradient cannot turn NaN.
    return T.tidy(() => T.add(T.relu(x), T.mul(T.expm1(T.minimum(x, 0)), alpha)));
  },
  () => ({ alpha: 1 }),
);

/** SELU: `scale·elu(x, alpha)` with Klambauer et al.'s alpha ≈ 1.6733 and scale ≈ 1.0507. */
export const selu = defineActivation('selu', function selu(x: Tensor): Tensor {
  return T.selu(x);
});
