import {
  cast,
  customGrad,
  exp,
  expandDims,
  logSoftmax,
  mul,
  neg,
  sub,
  sum,
  tidy,
  type Tensor,
} from '@neurona/tensor';
import { alignPair } from './shapes';
import { checkLabelSmoothing, smoothCategorical } from './label-smoothing';

type SaveFn = (tensors: Tensor[]) => void;
type GradResult = { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor[] };

// One fused op: forward keeps log-softmax, backward is `softmax·Σy - y` (times the incoming
// gradient): `softmax - y` for one-hot or smoothed labels, and still the exact derivative for
// labels that do not sum to 1 (TensorFlow's kernel returns `softmax - y` regardless). The model's
// backward pass through softmax + cross-entropy costs one exp, one row sum and one subtraction.
const fused = customGrad(((labels: Tensor, logits: Tensor, save: SaveFn): GradResult => {
  const lsm = logSoftmax(logits);
  save([labels, lsm]);
  return {
    value: neg(sum(mul(labels, lsm), -1)),
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [y, l] = saved;
      const g = expandDims(dy, -1);
      return [mul(g, neg(l)), mul(g, sub(mul(exp(l), sum(y, -1, true)), y))];
    },
  };
}) as unknown as Parameters<typeof customGrad>[0]) as unknown as (labels: Tensor, logits: Tensor) => Tensor;

/**
 * Per-sample cross-entropy of `softmax(logits)` against `yTrue` (one-hot or probabilities), in the
 * stable log-sum-exp form: `-Σ y · logSoftmax(logits)` → `[batch]`. Its gradient with respect to
 * the logits is `softmax(logits) - y` (for labels that sum to 1; `softmax·Σy - y` in general). Models call this when the last layer is softmax and the loss
 * is categorical cross-entropy. `labelSmoothing` in [0, 1] turns targets into `y·(1 - s) + s/classes`.
 */
export function softmaxCrossEntropyFromLogits(yTrue: Tensor, logits: Tensor, labelSmoothing = 0): Tensor {
  const s = checkLabelSmoothing('softmaxCrossEntropyFromLogits', labelSmoothing);
  return tidy(() => {
    const [t, z] = alignPair('categorical_crossentropy', yTrue, logits, true);
    const y = smoothCategorical(t, s);
    return fused(y, z.dtype === 'float32' ? z : cast(z, 'float32'));
  });
}
