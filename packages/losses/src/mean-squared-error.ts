import { mean, square, sub, tidy, type Tensor } from '@neurona/tensor';
import { alignPair } from './shapes';
import { simpleLossFactory } from './make-loss';

/** Per-sample mean squared error, `mean((yPred - yTrue)², axis=-1)` → `[batch]`. */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const [t, p] = alignPair('mean_squared_error', yTrue, yPred);
    return mean(square(sub(p, t)), -1);
  });
}

/** Mean squared error loss: `MeanSquaredError({ reduction })(yTrue, yPred, sampleWeight?)`. */
export const MeanSquaredError = simpleLossFactory('MeanSquaredError', 'mean_squared_error', meanSquaredError);
