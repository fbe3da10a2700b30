import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { describeValue } from '@neurona/common';
import { defineActivation } from './define';

/**
 * Maxout: the maximum over consecutive groups of `pieces` values along the last axis, so
 * `[..., units·pieces]` becomes `[..., units]` (output j is the max of inputs j·pieces … j·pieces+pieces−1).
 * This is the op of the Maxout layer `max(w1ᵀx + b1, …, wkᵀx + bk)`.
 */
export const maxout = defineActivation('maxout', function maxout(x: Tensor, pieces: number): Tensor {
  if (typeof pieces !== 'number' || !Number.isInteger(pieces) || pieces < 1) {
    throw new Error(`maxout: pieces must be a positive integer, got ${describeValue(pieces)}`);
  }
  const last = x.shape[x.rank - 1];
  if (x.rank === 0 || last % pieces !== 0) {
    throw new Error(
      `maxout: the last dimension must be divisible by pieces=${pieces}, got input shape [${x.shape.join(', ')}]`,
    );
  }
  if (pieces === 1) return x;
  return T.tidy(() => T.max(T.reshape(x, [...x.shape.slice(0, -1), last / pieces, pieces]), -1));
});
