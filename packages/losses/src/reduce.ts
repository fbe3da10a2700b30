import { mul, sum, mean, reshape, scalar, cast, type Tensor } from '@neurona/tensor';
import type { Reduction } from './types';
import { fmt } from './shapes';

/**
 * Weight the per-sample losses and reduce them as Keras's `reduce_weighted_values`: `'mean'` is the
 * weighted sum divided by the number of per-sample values (not by the sum of the weights), `'sum'`
 * the weighted sum, `'none'` the weighted values.
 */
export function reduceWeighted(
  lossName: string,
  perSample: Tensor,
  sampleWeight: Tensor | undefined,
  reduction: Reduction,
): Tensor {
  let values = perSample;
  if (sampleWeight !== undefined) {
    values = mul(values, alignWeight(lossName, sampleWeight, perSample.shape));
  }
  if (reduction === 'none') return values;
  if (reduction === 'sum') return sum(values);
  // an empty batch gives 0 rather than NaN, as Keras's divide_no_nan; the sum over the count is
  // the mean (one kernel, on the training step's hot path)
  return values.size === 0 ? scalar(0) : mean(values);
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
