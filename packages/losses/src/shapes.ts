import { reshape, cast, type Tensor } from '@neurona/tensor';

/** `[32, 10]`: `formatShape` of @neurona/common. */
import { formatShape as fmt } from '@neurona/common';

export { fmt };

function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Bring `yTrue` and `yPred` to one shape with a last (class/output) axis, as Keras does before an
 * elementwise loss: equal shapes pass; a missing trailing 1 is added (`[32]` with `[32, 1]`);
 * rank-1 pairs become `[n, 1]` so each element is one sample (`[1, n]`, one sample over n classes,
 * when `categorical`). Anything else is an error that
 * names both shapes. Labels are cast to float32 (integer labels are common).
 */
export function alignPair(lossName: string, yTrue: Tensor, yPred: Tensor, categorical = false): [Tensor, Tensor] {
  const t = yTrue.shape;
  const p = yPred.shape;
  if (p.length === 0 || t.length === 0) {
    throw new Error(
      `${lossName}: expects yTrue and yPred with a batch axis, got yTrue ${fmt(t)} and yPred ${fmt(p)}`,
    );
  }
  let yt = yTrue.dtype === 'float32' ? yTrue : cast(yTrue, 'float32');
  let yp = yPred.dtype === 'float32' ? yPred : cast(yPred, 'float32');
  if (same(t, p)) {
    // rank 1: one value per sample, except for class-probability losses where it is one sample
    if (t.length === 1) {
      const shape = categorical ? [1, t[0]] : [t[0], 1];
      return [reshape(yt, shape), reshape(yp, shape)];
    }
    return [yt, yp];
  }
  if (t.length + 1 === p.length && p[p.length - 1] === 1 && same(t, p.slice(0, -1))) {
    yt = reshape(yt, p);
    return [yt, yp];
  }
  if (p.length + 1 === t.length && t[t.length - 1] === 1 && same(p, t.slice(0, -1))) {
    yp = reshape(yp, t);
    return [yt, yp];
  }
  let hint = '';
  if (categorical && p.length >= 2) {
    const units = p[p.length - 1];
    if ((t.length + 1 === p.length && same(t, p.slice(0, -1))) || (t.length === p.length && t[t.length - 1] === 1)) {
      hint = `. yTrue looks like integer class labels: use sparse_categorical_crossentropy, or one-hot encode them with oneHot(labels, ${units})`;
    } else if (t.length === p.length && same(t.slice(0, -1), p.slice(0, -1))) {
      hint = `. yTrue has ${t[t.length - 1]} classes but yPred has ${units} units`;
    }
  }
  throw new Error(
    `${lossName}: yTrue and yPred must have the same shape, got yTrue ${fmt(t)} and yPred ${fmt(p)}${hint}`,
  );
}
