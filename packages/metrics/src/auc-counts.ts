import {
  cast,
  ceil,
  clipByValue,
  concat,
  expandDims,
  greater,
  greaterEqual,
  matMul,
  mul,
  range,
  relu,
  reshape,
  slice,
  stack,
  sub,
  sum,
  tensor,
  transpose,
  type Tensor,
} from '@neurona/tensor';

/** Where AUC's thresholds lie: evenly spaced (Keras's bucket method) or anywhere (direct comparison). */
export interface ThresholdSpec {
  /** Every threshold, ends included (`-ε` first, `1 + ε` last). */
  values: number[];
  /** True when `values` are `0, 1/(T-1), …, 1` up to the ε ends, as Keras's `is_evenly_distributed_thresholds`. */
  evenly: boolean;
}

/**
 * Weighted confusion counts at every threshold, as Keras's `update_confusion_matrix_variables`:
 * a prediction is positive at threshold `t` when `p > t`. `truth`, `pred` and `weight` are
 * `[n, L]` (L labels counted apart; flatten first to pool them). Returns `tp, fp, tn, fn`, each
 * `[T, L]` in that order, flattened into one `[4·T·L]` vector (Keras's variable layout).
 *
 * Evenly spaced thresholds use Keras's bucket rule, so results match it bit for bit: predictions
 * are clipped to [0, 1], bucket `max(ceil(p·(T-1)) - 1, 0)`, positive at thresholds `0..bucket`.
 */
export function confusionAtThresholds(truth: Tensor, pred: Tensor, weight: Tensor, spec: ThresholdSpec): Tensor {
  const T = spec.values.length;
  const L = truth.shape[1] as number;
  const t = transpose(truth); // [L, n]
  const w = transpose(weight);
  const p = transpose(pred);
  let positive: Tensor; // [L, T, n]
  if (spec.evenly) {
    const bucket = relu(sub(ceil(mul(clipByValue(p, 0, 1), T - 1)), 1));
    positive = greaterEqual(expandDims(bucket, 1), reshape(range(0, T, 1, 'float32'), [1, T, 1]));
  } else {
    positive = greater(expandDims(p, 1), reshape(tensor(spec.values, [T], 'float32'), [1, T, 1]));
  }
  const trueW = mul(t, w);
  const falseW = mul(sub(1, t), w);
  // one batched product gives tp and fp at every threshold: [L, T, n] · [L, n, 2] → [L, T, 2]
  const counts = matMul(cast(positive, 'float32'), stack([trueW, falseW], 2));
  const tp = reshape(slice(counts, [0, 0, 0], [L, T, 1]), [L, T]);
  const fp = reshape(slice(counts, [0, 0, 1], [L, T, 1]), [L, T]);
  const fn = sub(expandDims(sum(trueW, 1), 1), tp);
  const tn = sub(expandDims(sum(falseW, 1), 1), fp);
  return concat([tp, fp, tn, fn].map((c) => reshape(transpose(c), [-1])));
}
