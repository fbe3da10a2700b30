import { add, mul, sign, sub } from '@neurona/tensor';
import type { Scalar, Tensor, Variable } from '@neurona/tensor';
import { BaseOptimizer, deserializeSchedule } from '@neurona/optimizers';
import type { BaseOptimizerOptions, Config, KerasOptimizer, LearningRateSchedule, Serialized } from '@neurona/optimizers';

/** Options of `Lion`, on top of every optimizer's base options (clipping, weightDecay, name). */
export interface LionOptions extends BaseOptimizerOptions {
  /** Default 1e-4: the paper advises 3–10× smaller than AdamW's, since every step has size lr. */
  learningRate?: number | LearningRateSchedule;
  /** Weight of the momentum in the update direction; default 0.9, in [0, 1]. */
  beta1?: number;
  /** Decay of the momentum kept between steps; default 0.99, in [0, 1]. */
  beta2?: number;
}

/** A Lion optimizer: the contract plus its own settings. */
export interface LionOptimizer extends KerasOptimizer {
  readonly beta1: number;
  readonly beta2: number;
}

const BASE_KEYS = ['learningRate', 'weightDecay', 'clipNorm', 'clipValue', 'globalClipNorm', 'name'];
const KEYS = [...BASE_KEYS, 'beta1', 'beta2'];

function beta(what: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
    throw new Error(`Lion: ${what} must be a number in [0, 1], got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  }
  return v;
}

class LionImpl extends BaseOptimizer implements LionOptimizer {
  readonly className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(o: LionOptions) {
    // catch typos such as `beta_1` before they silently fall back to a default
    for (const key of Object.keys(o)) {
      if (!KEYS.includes(key)) throw new Error(`Lion: unknown option "${key}". Known options: ${KEYS.join(', ')}`);
    }
    const beta1 = beta('beta1', o.beta1 ?? 0.9);
    const beta2 = beta('beta2', o.beta2 ?? 0.99);
    // one slot per variable: the momentum m (zeros at the first step)
    super('Lion', ['momentum'], o, 1e-4);
    this.beta1 = beta1;
    this.beta2 = beta2;
  }

  /**
   * Chen et al. 2023, Algorithm 2:
   *   c = β1·m + (1 − β1)·g;  w −= lr·sign(c);  m = β2·m + (1 − β2)·g.
   * The decoupled weight decay `w −= lr·λ·w` is applied by BaseOptimizer just before this (with the
   * same lr, on the same w), which is exactly the paper's `w −= lr·(sign(c) + λ·w)`.
   */
  protected updateStep(g: Tensor, w: Variable, slots: Variable[], lr: Scalar): void {
    const [m] = slots;
    const b1 = this.constant('beta1', this.beta1);
    const oneMinusB1 = this.constant('oneMinusBeta1', 1 - this.beta1);
    const b2 = this.constant('beta2', this.beta2);
    const oneMinusB2 = this.constant('oneMinusBeta2', 1 - this.beta2);
    const c = add(mul(m, b1), mul(g, oneMinusB1));
    w.assign(sub(w, mul(sign(c), lr)));
    m.assign(add(mul(m, b2), mul(g, oneMinusB2)));
  }

  protected optimizerConfig(): Config {
    return { beta1: this.beta1, beta2: this.beta2 };
  }
}

/**
 * Lion, "EvoLved Sign Momentum" (Chen et al. 2023, "Symbolic Discovery of Optimization
 * Algorithms"): the update is the sign of an interpolation between momentum and gradient, so every
 * weight moves by exactly ±lr each step. Calling forms as the built-ins: `Lion()`, `Lion(3e-4)`,
 * `Lion(3e-4, { beta1: 0.95, weightDecay: 0.1 })`, `Lion({ learningRate: 3e-4 })`.
 */
export function Lion(learningRate?: number | LearningRateSchedule | LionOptions, options?: LionOptions): LionOptimizer {
  if (learningRate === undefined || learningRate === null) return new LionImpl({ ...options });
  if (typeof learningRate === 'number' || typeof learningRate === 'function') {
    if (options?.learningRate !== undefined) throw new Error('Lion: learningRate given twice (as the first argument and in the options)');
    return new LionImpl({ ...options, learningRate });
  }
  if (typeof learningRate === 'object') {
    if (options !== undefined) throw new Error('Lion: expected (learningRate, options) or (options), got two option objects');
    return new LionImpl({ ...learningRate });
  }
  throw new Error(`Lion: expected a learning rate, a schedule or an options object, got ${typeof learningRate}`);
}
Lion.className = 'Lion';
/** The optimizer a `getConfig()` result describes (what `get({ className: 'Lion', config })` calls). */
Lion.fromConfig = (config: Config = {}): LionOptimizer => {
  const lr = config.learningRate;
  // a schedule is saved as { className, config }: rebuild it, as the built-ins' fromConfig do
  const learningRate = lr !== null && typeof lr === 'object' ? deserializeSchedule(lr as Serialized) : lr;
  return Lion({ ...config, learningRate } as LionOptions);
};
