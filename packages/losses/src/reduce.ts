import { mul, sum, mean, reshape, scalar, cast, divNoNan, expandDims, squeeze, type Tensor } from '@neurona/tensor';
import type { Reduction } from './types';
import { fmt } from './shapes';

/**
 * Weight the per-sample losses and reduce them as Keras's `reduce_weighted_values`: `'mean'` is the
 * weighted sum divided by the number of per-sample values (not by the sum of the weights), `'sum'`
 * the weighted sum, `'none'` the weighted values. A `mask` (the prediction's, `[batch, time]`)
 * multiplies the weights as Keras's `apply_mask`: masked entries count 0, and for `'mean'` the
 * others count `total / valid`, so the mean is over the unmasked entries.
 */
export function reduceWeighted(
  lossName: string,
  perSample: Tensor,
  sampleWeight: Tensor | undefined,
  reduction: Reduction,
  mask: Tensor | null = null,
): Tensor {
  let values = perSample;
  if (sampleWeight !== undefined) {
    values = mul(values, alignWeight(lossName, sampleWeight, perSample.shape));
  }
  if (mask) values = mul(values, maskWeight(lossName, mask, perSample.shape, reduction));
  if (reduction === 'none') return values;
  if (reduction === 'sum') return sum(values);
  // an empty batch gives 0 rather than NaN, as Keras's divide_no_nan; the sum over the count is
  // the mean (one kernel, on the training step's hot path)
  return values.size === 0 ? scalar(0) : mean(values);
}

/**
 * The weights a mask gives the per-sample values (Keras's `apply_mask`): 0 where masked, else 1
 * (`'sum'`, `'none'`) or `total / valid` (`'mean'`, so the mean runs over the unmasked entries).
 * The mask must cover the values' shape (a trailing axis of 1 on either side is matched).
 */
function maskWeight(lossName: string, mask: Tensor, lossShape: number[], reduction: Reduction): Tensor {
  let m = cast(mask, 'float32');
  if (m.rank === lossShape.length + 1 && m.shape[m.rank - 1] === 1) m = squeeze(m, [m.rank - 1]);
  else if (lossShape.length === m.rank + 1 && lossShape[lossShape.length - 1] === 1) m = expandDims(m, -1);
  if (m.rank !== lossShape.length || m.shape.some((d, i) => d !== lossShape[i])) {
    throw new Error(
      `${lossName}: the prediction carries a mask of shape ${fmt(mask.shape)}, which does not match the per-sample losses ${fmt(lossShape)}; ` +
        `a mask covers the prediction's leading axes (e.g. [batch, time] for [batch, time, units])`,
    );
  }
  if (reduction !== 'mean') return m;
  return mul(m, divNoNan(scalar(m.size), sum(m)));
}

/** Sample weights of shape `[batch]`, `[batch, 1]`, a scalar, or the per-sample loss shape. */
function alignWeight(lossName: string, w: Tensor, lossShape: number[]): Tensor {
  const wf = w.dtype === 'float32' ? w : cast(w, 'float32');
  if (w.rank === 0) return wf;
  const squeezed = w.shape.slice();
  while (squeezed.length > lossShape.length && squeezed[squeezed.length - 1] === 1) squeezed.pop();
  const ok =
    squeezed.length <= lossShape.length &&
    squeezed.every((d, i) => d === lossShape[i] || d === 1);
  if (!ok) {
    throw new Error(
      `${lossName}: sampleWeight must have shape ${fmt(lossShape)} (one weight per sample) or ` +
        `${fmt([...lossShape, 1])}, got ${fmt(w.shape)}`,
    );
  }
  // trailing axes of the loss that the weight lacks are broadcast: [batch] weights a [batch, t] loss per row
  const full = [...squeezed, ...lossShape.slice(squeezed.length).map(() => 1)];
  return reshape(wf, full);
}
