import { abs, div, maximum, mean, mul, sub, tidy, type Tensor } from '@neurona/tensor';
import { alignPair } from './shapes';
import { simpleLossFactory } from './make-loss';
import { EPSILON } from './epsilon';

/** Per-sample MAPE, `100 · mean(|yTrue - yPred| / max(|yTrue|, 1e-7), axis=-1)` → `[batch]`, as Keras. */
export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const [t, p] = alignPair('mean_absolute_percentage_error', yTrue, yPred);
    const diff = abs(div(sub(t, p), maximum(abs(t), EPSILON)));
    return mul(mean(diff, -1), 100);
  });
}

/** Mean absolute percentage error loss (percent units). */
export const MeanAbsolutePercentageError = simpleLossFactory(
  'MeanAbsolutePercentageError',
  'mean_absolute_percentage_error',
  meanAbsolutePercentageError,
);
