import { add, clipByValue, log, logitsOf, mean, mul, neg, softplus, sub, tidy, type Tensor } from '@neurona/tensor';
import type { BaseLossOptions, Loss } from './types';
import { alignPair } from './shapes';
import { baseOptions, makeLoss } from './make-loss';
import { checkBoolean } from './validate';
import { EPSILON } from './epsilon';
import { checkLabelSmoothing, smoothBinary } from './label-smoothing';

/** Options of the binary cross-entropy function and loss. */
export interface BinaryCrossentropyOptions {
  /** `yPred` holds logits (any real) rather than probabilities; default false. */
  fromLogits?: boolean;
  /** In [0, 1]: targets become `y·(1 - s) + 0.5·s`; default 0. */
  labelSmoothing?: number;
}

/**
 * Per-sample binary cross-entropy, averaged over the last axis → `[batch]`.
 * Probabilities are clipped to [1e-7, 1 - 1e-7] as Keras; logits (`fromLogits`, or a sigmoid output
 * that carries its logits) use the stable `softplus(x) - x·y` form (no clipping needed, exact
 * gradient `sigmoid(x) - y`).
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: BinaryCrossentropyOptions = {}): Tensor {
  const s = checkLabelSmoothing('binary_crossentropy', options.labelSmoothing);
  // a sigmoid output carries its logits (as Keras's _keras_logits): use the stable form on them
  const r = options.fromLogits ? null : logitsOf(yPred);
  const fromLogits = (options.fromLogits ?? false) || (r !== null && r.activation === 'sigmoid');
  const pred = r !== null && r.activation === 'sigmoid' ? r.logits : yPred;
  return tidy(() => {
    const [t0, p] = alignPair('binary_crossentropy', yTrue, pred);
    const t = smoothBinary(t0, s);
    if (fromLogits) return mean(sub(softplus(p), mul(p, t)), -1);
    const q = clipByValue(p, EPSILON, 1 - EPSILON);
    const ll = add(mul(t, log(q)), mul(sub(1, t), log(sub(1, q))));
    return mean(neg(ll), -1);
  });
}

/** Binary cross-entropy loss: `BinaryCrossentropy({ fromLogits, labelSmoothing, reduction })`. */
export function BinaryCrossentropy(options: BinaryCrossentropyOptions & BaseLossOptions = {}): Loss {
  const { name, reduction } = baseOptions('BinaryCrossentropy', 'binary_crossentropy', options, [
    'fromLogits',
    'labelSmoothing',
  ]);
  const fromLogits = options.fromLogits === undefined ? false : checkBoolean('BinaryCrossentropy', 'fromLogits', options.fromLogits);
  const labelSmoothing = checkLabelSmoothing('BinaryCrossentropy', options.labelSmoothing);
  return makeLoss('BinaryCrossentropy', name, reduction, { fromLogits, labelSmoothing }, (t, p) =>
    binaryCrossentropy(t, p, { fromLogits, labelSmoothing }),
  );
}
