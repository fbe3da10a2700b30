import { AdamImpl, ADAM_KEYS, type AdamOptimizer, type AdamOptions } from './adam';
import { fromConfigWithSchedule } from './from-config';
import { foldOptions } from './options';
import type { Config, LearningRateSchedule } from './types';

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
export function AdamW(learningRate?: number | LearningRateSchedule | AdamWOptions, options?: AdamWOptions): AdamOptimizer {
  return new AdamWImpl(foldOptions('AdamW', learningRate, options));
}
AdamW.className = 'AdamW';
/** The optimizer a `getConfig()` result describes (a serialized schedule is restored). */
AdamW.fromConfig = (config: Config = {}): AdamOptimizer => AdamW(fromConfigWithSchedule(config) as AdamWOptions);
