import { broadcastTo, cast, expandDims, mean, mul, squeeze, sum, type Tensor } from '@neurona/tensor';
import { fmt } from './shapes';

// Sample weights as Keras's metrics apply them: Mean/Sum reduce values to one per sample
// (reduce_to_samplewise_values), the confusion metrics broadcast weights onto the labels.

function float(t: Tensor): Tensor {
  return t.dtype === 'float32' ? t : cast(t, 'float32');
}

/** True when `from` broadcasts to `to` (numpy's rule, aligned on the right). */
export function broadcastable(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[off + i]);
}

/** Keras's `squeeze_or_expand_to_same_rank`: when ranks differ by one and the longer ends in 1, match them. */
export function squeezeOrExpand(x1: Tensor, x2: Tensor, expandRank1 = true): [Tensor, Tensor] {
  let a = x1;
  let b = x2;
  if (a.rank === b.rank + 1 && a.shape[a.rank - 1] === 1) {
    if (b.rank === 1 && expandRank1) b = expandDims(b, -1);
    else a = squeeze(a, [a.rank - 1]);
  }
  if (b.rank === a.rank + 1 && b.shape[b.rank - 1] === 1) {
    if (a.rank === 1 && expandRank1) a = expandDims(a, -1);
    else b = squeeze(b, [b.rank - 1]);
  }
  return [a, b];
}

function axesFrom(start: number, rank: number): number[] {
  return Array.from({ length: rank - start }, (_, i) => start + i);
}

function weightError(where: string, w: Tensor, target: readonly number[], expected: string): Error {
  return new Error(`${where}: sampleWeight of shape ${fmt(w.shape)} does not broadcast to ${fmt(target)}; expected ${expected}`);
}

/**
 * Keras's `reduce_to_samplewise_values`: values (and weights) reduced to one per sample with
 * `reduce`, values multiplied by the weights. Returns the per-sample values and the per-sample
 * weights (null without weights).
 */
export function samplewise(
  where: string,
  values: Tensor,
  sampleWeight: Tensor | undefined,
  reduce: 'mean' | 'sum',
): { values: Tensor; weight: Tensor | null } {
  const r = reduce === 'mean' ? mean : sum;
  let v = float(values);
  let w: Tensor | null = null;
  if (sampleWeight !== undefined && sampleWeight !== null) {
    [v, w] = squeezeOrExpand(v, float(sampleWeight));
    const wd = w.rank;
    if (v.rank > wd) v = r(v, axesFrom(wd, v.rank));
    if (!broadcastable(w.shape, v.shape)) throw weightError(where, w, v.shape, 'a scalar, [batch] or the shape of the values');
    w = broadcastTo(w, v.shape);
    v = mul(v, w);
    if (wd > 1) w = r(w, axesFrom(1, wd));
  }
  if (v.rank > 1) v = r(v, axesFrom(1, v.rank));
  return { values: v, weight: w };
}

/**
 * Weights for the confusion-matrix metrics (Precision, Recall, AUC), as Keras's
 * `update_confusion_matrix_variables`: a trailing axis is added, matched to the labels' rank,
 * then broadcast to `shape`.
 */
export function confusionWeights(where: string, sampleWeight: Tensor, labels: Tensor): Tensor {
  const [, w] = squeezeOrExpand(labels, expandDims(float(sampleWeight), -1), false);
  if (!broadcastable(w.shape, labels.shape)) {
    throw weightError(where, sampleWeight, labels.shape, 'a scalar, [batch] or the shape of yTrue');
  }
  return broadcastTo(w, labels.shape);
}

/** Weights for F1Score / FBetaScore: trailing axes added up to the labels' rank, then broadcast. */
export function trailingWeights(where: string, sampleWeight: Tensor, labels: Tensor): Tensor {
  let w = float(sampleWeight);
  while (w.rank < labels.rank) w = expandDims(w, -1);
  if (!broadcastable(w.shape, labels.shape)) {
    throw weightError(where, sampleWeight, labels.shape, 'a scalar, [batch] or the shape of yTrue');
  }
  return broadcastTo(w, labels.shape);
}
