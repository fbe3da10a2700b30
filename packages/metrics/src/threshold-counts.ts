import { cast, gather, greater, logicalAnd, logicalNot, notEqual, reshape, sum, type Tensor } from '@neurona/tensor';
import { alignPair, fmt } from './shapes';

function count(b: Tensor): Tensor {
  return sum(cast(b, 'float32'));
}

/**
 * True/false positives and false negatives of a thresholded prediction over every element (Keras's
 * Precision/Recall treat each output as a binary decision: for one-hot labels this is the micro
 * average). `classId` restricts the count to one column of the last axis.
 */
export function thresholdCounts(
  metric: string,
  yTrue: Tensor,
  yPred: Tensor,
  threshold: number,
  classId: number | null,
): { tp: Tensor; fp: Tensor; fn: Tensor } {
  let [t, p] = alignPair(metric, yTrue, yPred);
  if (classId !== null) {
    const depth = p.shape[p.rank - 1];
    if (classId >= depth) {
      throw new Error(`${metric}: classId ${classId} is outside yPred's ${depth} columns (shape ${fmt(p.shape)})`);
    }
    t = gather(t, [classId], p.rank - 1);
    p = gather(p, [classId], p.rank - 1);
  }
  const truth = reshape(notEqual(t, 0), [-1]);
  const said = reshape(greater(p, threshold), [-1]);
  return {
    tp: count(logicalAnd(truth, said)),
    fp: count(logicalAnd(logicalNot(truth), said)),
    fn: count(logicalAnd(truth, logicalNot(said))),
  };
}
