import { clipByValue, div, log, mul, sum, tidy, type Tensor } from '@neurona/tensor';
import { alignPair } from './shapes';
import { simpleLossFactory } from './make-loss';
import { EPSILON } from './epsilon';

/**
 * Per-sample Kullback–Leibler divergence `Σ y·log(y / yPred)` over the last axis → `[batch]`, both
 * clipped to [1e-7, 1] as Keras (so zero targets contribute nothing and zero predictions stay finite).
 */
export function klDivergence(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const [t0, p0] = alignPair('kl_divergence', yTrue, yPred, true);
    const t = clipByValue(t0, EPSILON, 1);
    const p = clipByValue(p0, EPSILON, 1);
    return sum(mul(t, log(div(t, p))), -1);
  });
}

/** KL divergence loss (alias `'kld'`). */
export const KLDivergence = simpleLossFactory('KLDivergence', 'kl_divergence', klDivergence);
