import { cast, reshape, softmaxCrossEntropyWithLogits, tidy, type Tensor } from '@neurona/tensor';
import { alignPair } from './shapes';
import { checkLabelSmoothing, smoothCategorical } from './label-smoothing';

/**
 * Per-sample cross-entropy of `softmax(logits)` against `yTrue` (one-hot or probabilities), in the
 * stable log-sum-exp form: `-Σ y · logSoftmax(logits)` → `[batch]`. Its gradient with respect to
 * the logits is `softmax(logits) - y` (for labels that sum to 1; `softmax·Σy - y` in general). Models call this when the last layer is softmax and the loss
 * is categorical cross-entropy. `labelSmoothing` in [0, 1] turns targets into `y·(1 - s) + s/classes`.
 */
export function softmaxCrossEntropyFromLogits(yTrue: Tensor, logits: Tensor, labelSmoothing = 0): Tensor {
  const s = checkLabelSmoothing('softmaxCrossEntropyFromLogits', labelSmoothing);
  return tidy(() => {
    const [t, z0] = alignPair('categorical_crossentropy', yTrue, logits, true);
    const y = smoothCategorical(t, s);
    const z = z0.dtype === 'float32' ? z0 : cast(z0, 'float32');
    if (z.rank === 2) return softmaxCrossEntropyWithLogits(y, z);
    // the fused kernel takes [rows, classes]: fold the leading axes in and out
    const classes = z.shape[z.rank - 1];
    const flat = softmaxCrossEntropyWithLogits(reshape(y, [-1, classes]), reshape(z, [-1, classes]));
    return reshape(flat, z.shape.slice(0, -1));
  });
}
