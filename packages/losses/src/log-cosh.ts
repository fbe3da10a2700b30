import { add, mean, mul, softplus, sub, tidy, type Tensor } from '@neurona/tensor';
import { alignPair } from './shapes';
import { simpleLossFactory } from './make-loss';

/** Per-sample log-cosh error, `mean(log(cosh(yPred - yTrue)), axis=-1)` in Keras's overflow-free form. */
export function logCosh(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const [t, p] = alignPair('log_cosh', yTrue, yPred);
    const x = sub(p, t);
    // log(cosh x) = x + softplus(-2x) - log 2, finite for any x
    return mean(sub(add(x, softplus(mul(x, -2))), Math.LN2), -1);
  });
}

/** Log-cosh loss: like MSE for small errors and like MAE for large ones. */
export const LogCosh = simpleLossFactory('LogCosh', 'log_cosh', logCosh);
