import { cast, gather, greater, logicalNot, mul, notEqual, sub, sum, type Tensor } from '@neurona/tensor';
import { alignPair, fmt } from './shapes';
import { confusionWeights } from './sample-weight';

/**
 * Weighted true/false positives and false negatives of a thresholded prediction over every
 * element, as Keras's `update_confusion_matrix_variables` with one threshold: each output is a
 * binary decision (for one-hot labels this is the micro average), truth is `yTrue != 0`,
 * positive is `yPred > threshold`. `classId` keeps one column of the last axis. Sample weights
 * broadcast onto the labels (`[batch]`, or the labels' shape).
 */
export function thresholdCounts(
  metric: string,
  yTrue: Tensor,
  yPred: Tensor,
  threshold: number,
  classId: number | null,
  sampleWeight?: Tensor,
): { tp: Tensor; fp: Tensor; fn: Tensor } {
  let [t, p] = alignPair(metric, yTrue, yPred);
  let w = sampleWeight === undefined || sampleWeight === null ? null : confusionWeights(metric, sampleWeight, t);
  if (classId !== null) {
    const depth = p.shape[p.rank - 1];
    if (classId >= depth) {
      throw new Error(`${metric}: classId ${classId} is outside yPred's ${depth} columns (shape ${fmt(p.shape)})`);
    }
    t = gather(t, [classId], p.rank - 1);
    p = gather(p, [classId], p.rank - 1);
    if (w !== null) w = gather(w, [classId], w.rank - 1);
  }
  const truth = cast(notEqual(t, 0), 'float32');
  const said = greater(p, threshold);
  const pos = cast(said, 'float32');
  const neg = cast(logicalNot(said), 'float32');
  const count = (a: Tensor, b: Tensor): Tensor => sum(w === null ? mul(a, b) : mul(mul(a, b), w));
  return { tp: count(truth, pos), fp: count(sub(1, truth), pos), fn: count(truth, neg) };
}
