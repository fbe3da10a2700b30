import { cast, reshape, type Tensor } from '@neurona/tensor';

/** `[32, 10]`: `formatShape` of @neurona/common. */
import { formatShape as fmt } from '@neurona/common';

export { fmt };

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Same-shape `yTrue`/`yPred` with a last axis, as Keras aligns them: a missing trailing 1 is
 * added (`[32]` with `[32, 1]`), rank-1 pairs become `[n, 1]`. Otherwise an error naming both shapes.
 */
export function alignPair(metric: string, yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  const t = yTrue.shape;
  const p = yPred.shape;
  const yt = yTrue.dtype === 'float32' ? yTrue : cast(yTrue, 'float32');
  const yp = yPred.dtype === 'float32' ? yPred : cast(yPred, 'float32');
  if (t.length > 0 && sameShape(t, p)) return t.length === 1 ? [reshape(yt, [t[0], 1]), reshape(yp, [p[0], 1])] : [yt, yp];
  if (t.length + 1 === p.length && p[p.length - 1] === 1 && sameShape(t, p.slice(0, -1))) return [reshape(yt, p), yp];
  if (p.length + 1 === t.length && t[t.length - 1] === 1 && sameShape(p, t.slice(0, -1))) return [yt, reshape(yp, t)];
  throw new Error(`${metric}: yTrue and yPred must have the same shape, got yTrue ${fmt(t)} and yPred ${fmt(p)}`);
}

/**
 * Integer labels for `yPred` `[..., classes]`: `yTrue` of yPred's leading shape, or with a trailing 1.
 * Returns them with yPred's leading shape.
 */
export function sparseLabels(metric: string, yTrue: Tensor, yPred: Tensor): Tensor {
  const lead = yPred.shape.slice(0, -1);
  const t = yTrue.shape;
  const ok =
    yPred.rank >= 2 &&
    (sameShape(t, lead) || (t.length === lead.length + 1 && t[t.length - 1] === 1 && sameShape(t.slice(0, -1), lead)));
  if (!ok) {
    const hint = sameShape(t, yPred.shape) ? '. yTrue looks one-hot: use categorical_accuracy, or pass yTrue.argMax(-1)' : '';
    throw new Error(
      `${metric}: expects integer labels yTrue of shape ${fmt(lead)} for yPred ${fmt(yPred.shape)}, got yTrue ${fmt(t)}${hint}`,
    );
  }
  return reshape(yTrue, lead);
}
