import { add, log, mean, mul, sub, tidy, type Tensor } from '@neurona/tensor';
import { alignPair } from './shapes';
import { simpleLossFactory } from './make-loss';
import { EPSILON } from './epsilon';

/** Per-sample Poisson loss, `mean(yPred - yTrue·log(yPred + 1e-7), axis=-1)`, as Keras. */
export function poisson(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const [t, p] = alignPair('poisson', yTrue, yPred);
    return mean(sub(p, mul(t, log(add(p, EPSILON)))), -1);
  });
}

/** Poisson loss, for count targets. */
export const Poisson = simpleLossFactory('Poisson', 'poisson', poisson);
