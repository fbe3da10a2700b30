import { abs, add, mean, minimum, mul, square, sub, tidy, type Tensor } from '@neurona/tensor';
import type { BaseLossOptions, Loss } from './types';
import { alignPair } from './shapes';
import { baseOptions, makeLoss } from './make-loss';
import { checkPositive } from './validate';

/**
 * Per-sample Huber loss: `0.5·e²` where `|e| ≤ delta`, else `delta·|e| - 0.5·delta²`, averaged over
 * the last axis (`e = yPred - yTrue`), as Keras.
 */
export function huber(yTrue: Tensor, yPred: Tensor, delta = 1): Tensor {
  checkPositive('huber', 'delta', delta);
  return tidy(() => {
    const [t, p] = alignPair('huber', yTrue, yPred);
    const a = abs(sub(p, t));
    // 0.5·min(|e|, δ)² + δ·(|e| - min(|e|, δ)) is Keras's two-branch formula without a `where`,
    // so the gradient flows through plain ops
    const q = minimum(a, delta);
    return mean(add(mul(square(q), 0.5), mul(sub(a, q), delta)), -1);
  });
}

/** Options of `Huber`. */
export interface HuberOptions extends BaseLossOptions {
  /** Where the loss turns from quadratic to linear; > 0, default 1. */
  delta?: number;
}

/** Huber loss: `Huber({ delta: 1, reduction })(yTrue, yPred, sampleWeight?)`. */
export function Huber(options: HuberOptions = {}): Loss {
  const { name, reduction } = baseOptions('Huber', 'huber', options, ['delta']);
  const delta = options.delta === undefined ? 1 : checkPositive('Huber', 'delta', options.delta);
  return makeLoss('Huber', name, reduction, { delta }, (t, p) => huber(t, p, delta));
}
