import {
  add,
  all,
  cast,
  equal,
  logicalOr,
  max,
  maximum,
  mean,
  mul,
  relu,
  square,
  sub,
  sum,
  tidy,
  type Tensor,
} from '@neurona/tensor';
import { alignPair } from './shapes';
import { simpleLossFactory } from './make-loss';

/** Keras's label conversion: when every label is 0 or 1, map them to -1 and 1; else keep them. */
function toSigned(t: Tensor): Tensor {
  const isBinary = cast(all(logicalOr(equal(t, 0), equal(t, 1))), 'float32');
  // t + b·(t - 1): 2t - 1 when binary (b = 1), t unchanged otherwise; no data read-back
  return add(t, mul(isBinary, sub(t, 1)));
}

/** Per-sample hinge loss, `mean(max(1 - y·yPred, 0), axis=-1)` with labels in {-1, 1} (0/1 converted). */
export function hinge(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const [t, p] = alignPair('hinge', yTrue, yPred);
    return mean(relu(sub(1, mul(toSigned(t), p))), -1);
  });
}

/** Per-sample squared hinge loss, `mean(max(1 - y·yPred, 0)², axis=-1)` (0/1 labels converted). */
export function squaredHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const [t, p] = alignPair('squared_hinge', yTrue, yPred);
    return mean(square(relu(sub(1, mul(toSigned(t), p)))), -1);
  });
}

/**
 * Per-sample categorical hinge for one-hot `yTrue`: `max(0, 1 + max((1 - y)·yPred) - Σ y·yPred)`,
 * the margin of the true class over the best wrong one.
 */
export function categoricalHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const [t, p] = alignPair('categorical_hinge', yTrue, yPred, true);
    const pos = sum(mul(t, p), -1);
    const neg = max(mul(sub(1, t), p), -1);
    return maximum(add(sub(neg, pos), 1), 0);
  });
}

/** Hinge loss (maximum-margin, labels -1/1 or 0/1). */
export const Hinge = simpleLossFactory('Hinge', 'hinge', hinge);
/** Squared hinge loss (labels -1/1 or 0/1). */
export const SquaredHinge = simpleLossFactory('SquaredHinge', 'squared_hinge', squaredHinge);
/** Categorical hinge loss (one-hot labels). */
export const CategoricalHinge = simpleLossFactory('CategoricalHinge', 'categorical_hinge', categoricalHinge);
