import {
  add,
  div,
  divNoNan,
  equal,
  greater,
  log,
  logicalAnd,
  maximum,
  mean,
  minimum,
  mul,
  onesLike,
  slice,
  sub,
  sum,
  tensor1d,
  where,
  zerosLike,
  type Tensor,
} from '@neurona/tensor';

/** Which curve AUC integrates, as Keras's `AUCCurve`. */
export type AUCCurve = 'ROC' | 'PR' | 'PRGAIN';
/** How AUC sums the area between thresholds, as Keras's `AUCSummationMethod`. */
export type AUCSummationMethod = 'interpolation' | 'minoring' | 'majoring';

/** Confusion counts at the thresholds, each `[T, L]`. */
export interface ThresholdCounts {
  tp: Tensor;
  fp: Tensor;
  tn: Tensor;
  fn: Tensor;
}

// x[:-1] and x[1:] along the threshold axis of a [T, L] tensor
const head = (x: Tensor): Tensor => slice(x, [0, 0], [x.shape[0] - 1, x.shape[1] as number]);
const tail = (x: Tensor): Tensor => slice(x, [1, 0], [x.shape[0] - 1, x.shape[1] as number]);

/**
 * PR-AUC with Keras's interpolation (Davis & Goadrich 2006): TP and P = TP + FP vary linearly
 * between thresholds, precision is integrated exactly over each interval. Returns `[L]`.
 */
function interpolatedPr({ tp, fp, fn }: ThresholdCounts): Tensor {
  const dtp = sub(head(tp), tail(tp));
  const p = add(tp, fp);
  const dp = sub(head(p), tail(p));
  const slope = divNoNan(dtp, maximum(dp, 0));
  const intercept = sub(tail(tp), mul(slope, tail(p)));
  const bothPositive = logicalAnd(greater(head(p), 0), greater(tail(p), 0));
  const ratio = where(bothPositive, divNoNan(head(p), maximum(tail(p), 0)), onesLike(tail(p)));
  const increment = divNoNan(mul(slope, add(dtp, mul(intercept, log(ratio)))), maximum(add(tail(tp), tail(fn)), 0));
  return sum(increment, 0);
}

function curvePoints({ tp, fp, tn, fn }: ThresholdCounts, curve: AUCCurve): { x: Tensor; y: Tensor } {
  const recall = divNoNan(tp, add(tp, fn));
  if (curve === 'ROC') return { x: divNoNan(fp, add(fp, tn)), y: recall };
  if (curve === 'PR') return { x: recall, y: divNoNan(tp, add(tp, fp)) };
  // PRGAIN: Keras's fixes for no true positives (recall gain 0, precision gain 1) and negative recall gain
  const scale = divNoNan(add(tp, fn), add(tn, fp));
  const noTp = equal(tp, 0);
  const recallGain = maximum(where(noTp, zerosLike(tp), sub(1, mul(scale, divNoNan(fn, tp)))), 0);
  const precisionGain = where(noTp, onesLike(tp), sub(1, mul(scale, divNoNan(fp, tp))));
  return { x: recallGain, y: precisionGain };
}

/** The area under each label's curve, `[L]`, as Keras's `AUC.result` before averaging labels. */
export function areaByLabel(counts: ThresholdCounts, curve: AUCCurve, method: AUCSummationMethod): Tensor {
  if (curve === 'PR' && method === 'interpolation') return interpolatedPr(counts);
  const { x, y } = curvePoints(counts, curve);
  const heights =
    method === 'interpolation' ? div(add(head(y), tail(y)), 2) : method === 'minoring' ? minimum(head(y), tail(y)) : maximum(head(y), tail(y));
  return sum(mul(sub(head(x), tail(x)), heights), 0);
}

/** One number from the label areas: their mean, or their `labelWeights`-weighted mean. */
export function averageLabels(byLabel: Tensor, labelWeights: number[] | null): Tensor {
  if (labelWeights === null) return mean(byLabel);
  const w = tensor1d(labelWeights, 'float32');
  return divNoNan(sum(mul(byLabel, w)), sum(w));
}
