import { abs, mean, sub, tidy, type Tensor } from '@neurona/tensor';
import { alignPair } from './shapes';
import { simpleLossFactory } from './make-loss';

/** Per-sample mean absolute error, `mean(|yPred - yTrue|, axis=-1)` → `[batch]`. */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const [t, p] = alignPair('mean_absolute_error', yTrue, yPred);
    return mean(abs(sub(p, t)), -1);
  });
}

/** Mean absolute error loss: `MeanAbsoluteError({ reduction })(yTrue, yPred, sampleWeight?)`. */
export const MeanAbsoluteError = simpleLossFactory('MeanAbsoluteError', 'mean_absolute_error', meanAbsoluteError);
