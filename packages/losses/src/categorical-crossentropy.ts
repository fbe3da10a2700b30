import { clipByValue, div, log, logitsOf, mul, neg, sum, tidy, type Tensor } from '@neurona/tensor';
import type { BaseLossOptions, Loss } from './types';
import { alignPair } from './shapes';
import { baseOptions, makeLoss } from './make-loss';
import { checkBoolean } from './validate';
import { EPSILON } from './epsilon';
import { checkLabelSmoothing, smoothCategorical } from './label-smoothing';
import { softmaxCrossEntropyFromLogits } from './softmax-cross-entropy';

/** Options of the categorical cross-entropy function and loss. */
export interface CategoricalCrossentropyOptions {
  /** `yPred` holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
  /** In [0, 1]: one-hot targets become `y·(1 - s) + s / classes`; default 0. */
  labelSmoothing?: number;
}

/**
 * Per-sample categorical cross-entropy over the last axis → `[batch]`, for one-hot (or soft) `yTrue`.
 * As Keras: probabilities are rescaled to sum to 1, clipped to [1e-7, 1 - 1e-7], then `-Σ y·log p`;
 * logits (`fromLogits`, or a softmax output that carries its logits) use the fused log-sum-exp
 * form (`softmaxCrossEntropyFromLogits`).
 */
export function categoricalCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: CategoricalCrossentropyOptions = {},
): Tensor {
  const s = checkLabelSmoothing('categorical_crossentropy', options.labelSmoothing);
  if (options.fromLogits) return softmaxCrossEntropyFromLogits(yTrue, yPred, s);
  // a softmax output carries its logits (as Keras's _keras_logits): the fused form is exact
  // where clipping is not, and its gradient is one step
  const r = logitsOf(yPred);
  if (r && r.activation === 'softmax' && r.axis === yPred.rank - 1) return softmaxCrossEntropyFromLogits(yTrue, r.logits, s);
  return tidy(() => {
    const [t0, p] = alignPair('categorical_crossentropy', yTrue, yPred, true);
    const t = smoothCategorical(t0, s);
    const q = clipByValue(div(p, sum(p, -1, true)), EPSILON, 1 - EPSILON);
    return neg(sum(mul(t, log(q)), -1));
  });
}

/**
 * Categorical cross-entropy loss for one-hot labels:
 * `CategoricalCrossentropy({ fromLogits, labelSmoothing, reduction })(yTrue, yPred, sampleWeight?)`.
 */
export function CategoricalCrossentropy(options: CategoricalCrossentropyOptions & BaseLossOptions = {}): Loss {
  const { name, reduction } = baseOptions('CategoricalCrossentropy', 'categorical_crossentropy', options, [
    'fromLogits',
    'labelSmoothing',
  ]);
  const fromLogits =
    options.fromLogits === undefined ? false : checkBoolean('CategoricalCrossentropy', 'fromLogits', options.fromLogits);
  const labelSmoothing = checkLabelSmoothing('CategoricalCrossentropy', options.labelSmoothing);
  return makeLoss('CategoricalCrossentropy', name, reduction, { fromLogits, labelSmoothing }, (t, p) =>
    categoricalCrossentropy(t, p, { fromLogits, labelSmoothing }),
  );
}
