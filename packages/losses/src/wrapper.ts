import type { BaseLossOptions, Loss, LossFunction } from './types';
import { baseOptions, makeLoss } from './make-loss';

/**
 * Turn your own per-sample function `(yTrue, yPred) => [batch]` into a `Loss` with reduction and
 * sample weights, as Keras's `LossFunctionWrapper`:
 * `LossFunctionWrapper((t, p) => mean(abs(sub(t, p)), -1), { name: 'my_mae' })`.
 */
export function LossFunctionWrapper(fn: LossFunction, options: BaseLossOptions = {}): Loss {
  if (typeof fn !== 'function') {
    throw new Error(`LossFunctionWrapper: expects a function (yTrue, yPred) => Tensor, got ${typeof fn}`);
  }
  const fallback = fn.name && fn.name !== 'anonymous' ? fn.name : 'loss';
  const { name, reduction } = baseOptions('LossFunctionWrapper', fallback, options);
  return makeLoss('LossFunctionWrapper', name, reduction, {}, fn);
}
