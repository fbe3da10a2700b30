import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { defineActivation, resolveAxis } from './define';

// tfjs-core's softmax kernels work on the last axis only: move `axis` there and back.
function alongAxis(x: Tensor, axis: number, f: (t: Tensor) => Tensor): Tensor {
  const last = x.rank - 1;
  if (axis === last) return f(x);
  const perm = [...Array(x.rank).keys()];
  perm[axis] = last;
  perm[last] = axis;
  return T.tidy(() => T.transpose(f(T.transpose(x, perm)), perm));
}

/**
 * `exp(x) / sum(exp(x))` along `axis` (default the last), stable for large |x|. The output carries
 * its logits `x` (`logitsOf` of @neurona/tensor), as Keras's `_keras_logits`, so cross-entropy
 * losses compute from them in the fused, stable form.
 */
export const softmax = defineActivation(
  'softmax',
  function softmax(x: Tensor, axis = -1): Tensor {
    const a = resolveAxis('softmax', axis, x.rank);
    return T.withLogits(alongAxis(x, a, (t) => T.softmax(t)), x, 'softmax', a);
  },
  () => ({ axis: -1 }),
);

/** `x − logSumExp(x)` along `axis` (default the last): the log of softmax without underflow. */
export const logSoftmax = defineActivation(
  'log_softmax',
  function logSoftmax(x: Tensor, axis = -1): Tensor {
    return alongAxis(x, resolveAxis('log_softmax', axis, x.rank), (t) => T.logSoftmax(t));
  },
  () => ({ axis: -1 }),
);
