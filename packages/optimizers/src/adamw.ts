import { AdamImpl, ADAM_KEYS, type AdamOptimizer, type AdamOptions } from './adam';
import { defineOptimizer, type OptimizerFactory } from './define-optimizer';

export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay, default 0.004 (Keras): `var -= var * weightDecay * lr` before the Adam step. */
  weightDecay?: number;
}

class AdamWImpl extends AdamImpl {
  override readonly className = 'AdamW';
  constructor(o: AdamWOptions) {
    super({ ...o, weightDecay: o.weightDecay ?? 0.004 }, 'AdamW', ADAM_KEYS);
  }
}

/**
 * Adam with decoupled weight decay, as `keras.optimizers.AdamW`: each step first shrinks every
 * variable by `weightDecay * lr`, then applies the Adam update.
 * `AdamW({ learningRate: 1e-3, weightDecay: 0.01 })`.
 */
export const AdamW: OptimizerFactory<AdamWOptions, AdamOptimizer> = defineOptimizer('AdamW', (o: AdamWOptions) => new AdamWImpl(o));
