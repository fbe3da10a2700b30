import { add, mul, type Tensor } from '@neurona/tensor';
import { checkInRange } from './validate';

/** Label smoothing must lie in [0, 1]. */
export function checkLabelSmoothing(where: string, value: unknown): number {
  return value === undefined ? 0 : checkInRange(where, 'labelSmoothing', value, 0, 1);
}

/** Keras's categorical smoothing: `y·(1 - s) + s / numClasses`. */
export function smoothCategorical(yTrue: Tensor, s: number): Tensor {
  if (s === 0) return yTrue;
  const k = yTrue.shape[yTrue.rank - 1];
  return add(mul(yTrue, 1 - s), s / k);
}

/** Keras's binary smoothing: `y·(1 - s) + 0.5·s`, pulling targets toward 0.5. */
export function smoothBinary(yTrue: Tensor, s: number): Tensor {
  if (s === 0) return yTrue;
  return add(mul(yTrue, 1 - s), 0.5 * s);
}
