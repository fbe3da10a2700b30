import { cast, max, min, oneHot, reshape, tidy, type Tensor } from '@neurona/tensor';
import type { BaseLossOptions, Loss } from './types';
import { baseOptions, makeLoss } from './make-loss';
import { checkBoolean } from './validate';
import { fmt } from './shapes';
import { categoricalCrossentropy } from './categorical-crossentropy';

/** Options of the sparse categorical cross-entropy function and loss. */
export interface SparseCategoricalCrossentropyOptions {
  /** `yPred` holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
  /**
   * Check that every label is an integer in [0, classes) and throw otherwise; default true.
   * The check reads the labels back from the backend (a sync), which GPU users may want to skip.
   */
  checkLabels?: boolean;
}

/** Integer labels `[batch]` or `[batch, 1]` as an int32 tensor of yPred's leading shape. */
function labelsFor(yTrue: Tensor, yPred: Tensor): Tensor {
  const lead = yPred.shape.slice(0, -1);
  const t = yTrue.shape;
  const matches =
    yPred.rank >= 2 &&
    ((t.length === lead.length && t.every((d, i) => d === lead[i])) ||
      (t.length === lead.length + 1 && t[t.length - 1] === 1 && lead.every((d, i) => d === t[i])));
  if (!matches) {
    const hint =
      t.length === yPred.rank && t.every((d, i) => d === yPred.shape[i]) && yPred.shape[yPred.rank - 1] > 1
        ? '. yTrue looks one-hot encoded: use categorical_crossentropy, or pass yTrue.argMax(-1)'
        : '';
    throw new Error(
      `sparse_categorical_crossentropy: expects integer labels yTrue of shape ${fmt(lead)} (or ${fmt([...lead, 1])}) ` +
        `for yPred ${fmt(yPred.shape)}, got yTrue ${fmt(t)}${hint}`,
    );
  }
  return reshape(yTrue.dtype === 'int32' ? yTrue : cast(yTrue, 'int32'), lead);
}

function checkRange(yTrue: Tensor, classes: number): void {
  const [lo, hi] = tidy(() => [min(yTrue).dataSync()[0], max(yTrue).dataSync()[0]]);
  if (!(lo >= 0 && hi < classes)) {
    const bad = lo < 0 ? lo : hi;
    throw new Error(
      `sparse_categorical_crossentropy: labels must be integers in [0, ${classes}) for yPred with ${classes} ` +
        `units, found label ${bad}` +
        (hi >= classes ? `; the model has fewer output units than classes` : ''),
    );
  }
  if (yTrue.dtype !== 'int32') {
    const v = yTrue.dataSync();
    for (let i = 0; i < v.length; i++) {
      if (!Number.isInteger(v[i])) {
        throw new Error(`sparse_categorical_crossentropy: labels must be integers, found ${v[i]}`);
      }
    }
  }
}

/**
 * Per-sample cross-entropy for integer class labels → `[batch]`: `yTrue` `[batch]` (or `[batch, 1]`)
 * holds class indices, `yPred` `[batch, classes]` probabilities (or logits with `fromLogits`).
 * Same numbers as `categoricalCrossentropy` on the one-hot labels (Keras's clipping included).
 */
export function sparseCategoricalCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: SparseCategoricalCrossentropyOptions = {},
): Tensor {
  return tidy(() => {
    const classes = yPred.shape[yPred.rank - 1];
    const labels = labelsFor(yTrue, yPred);
    if (options.checkLabels ?? true) checkRange(yTrue, classes);
    return categoricalCrossentropy(oneHot(labels, classes), yPred, { fromLogits: options.fromLogits ?? false });
  });
}

/** Sparse categorical cross-entropy loss: `SparseCategoricalCrossentropy({ fromLogits, reduction })`. */
export function SparseCategoricalCrossentropy(options: SparseCategoricalCrossentropyOptions & BaseLossOptions = {}): Loss {
  const cls = 'SparseCategoricalCrossentropy';
  const { name, reduction } = baseOptions(cls, 'sparse_categorical_crossentropy', options, ['fromLogits', 'checkLabels']);
  const fromLogits = options.fromLogits === undefined ? false : checkBoolean(cls, 'fromLogits', options.fromLogits);
  const checkLabels = options.checkLabels === undefined ? true : checkBoolean(cls, 'checkLabels', options.checkLabels);
  return makeLoss(cls, name, reduction, { fromLogits, checkLabels }, (t, p) =>
    sparseCategoricalCrossentropy(t, p, { fromLogits, checkLabels }),
  );
}
