import { add, mul, sign, sub } from '@neurona/tensor';
import type { Scalar, Tensor, Variable } from '@neurona/tensor';
import { BaseOptimizer, defineOptimizer, optionChecks } from '@neurona/optimizers';
import type { BaseOptimizerOptions, Config, KerasOptimizer, LearningRateSchedule, OptimizerFactory } from '@neurona/optimizers';

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

function beta(what: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) optionChecks.fail('Lion', what, 'a number in [0, 1]', v);
  return v;
}

class LionImpl extends BaseOptimizer implements LionOptimizer {
  readonly className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(o: LionOptions) {
    // one slot per variable: the momentum m (zeros at the first step); naming the own option
    // keys makes the base class refuse typos such as `beta_1`
    super('Lion', ['momentum'], o, 1e-4, ['beta1', 'beta2']);
    this.beta1 = beta('beta1', o.beta1 ?? 0.9);
    this.beta2 = beta('beta2', o.beta2 ?? 0.99);
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
 * `Lion(3e-4, { beta1: 0.95, weightDecay: 0.1 })`, `Lion({ learningRate: 3e-4 })`;
 * `Lion.fromConfig(config)` rebuilds one from `getConfig()` (schedules included).
 */
export const Lion: OptimizerFactory<LionOptions, LionOptimizer> = defineOptimizer('Lion', (o: LionOptions) => new LionImpl(o));
