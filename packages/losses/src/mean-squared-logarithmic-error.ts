import { log1p, maximum, mean, square, sub, tidy, type Tensor } from '@neurona/tensor';
import { alignPair } from './shapes';
import { simpleLossFactory } from './make-loss';
import { EPSILON } from './epsilon';

/** Per-sample MSLE, `mean((log(max(yPred, ε) + 1) - log(max(yTrue, ε) + 1))², axis=-1)` → `[batch]`, as Keras. */
export function meanSquaredLogarithmicError(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const [t, p] = alignPair('mean_squared_logarithmic_error', yTrue, yPred);
    return mean(square(sub(log1p(maximum(p, EPSILON)), log1p(maximum(t, EPSILON)))), -1);
  });
}

/** Mean squared logarithmic error loss. */
export const MeanSquaredLogarithmicError = simpleLossFactory(
  'MeanSquaredLogarithmicError',
  'mean_squared_logarithmic_error',
  meanSquaredLogarithmicError,
);
