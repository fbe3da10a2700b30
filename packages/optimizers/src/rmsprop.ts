import { add, div, mul, sqrt, square, sub } from '@neurona/tensor';
import type { Scalar, Tensor, Variable } from '@neurona/tensor';
import { BASE_OPTION_KEYS, BaseOptimizer } from './base-optimizer';
import type { BaseOptimizerOptions, Config, KerasOptimizer, LearningRateSchedule } from './types';
import { defineOptimizer, type OptimizerFactory } from './define-optimizer';
import { boolean, knownKeys, positive, unitInterval } from './validate';

export interface RMSpropOptions extends BaseOptimizerOptions {
  /** Default 0.001. */
  learningRate?: number | LearningRateSchedule;
  /** Decay of the squared-gradient average, in [0, 1); default 0.9. */
  rho?: number;
  /** In [0, 1); default 0. */
  momentum?: number;
  /** > 0; default 1e-7, added inside the square root as Keras does. */
  epsilon?: number;
  /** Divide by the estimated variance (E[g²] - E[g]²) instead of E[g²]; default false. */
  centered?: boolean;
}

/** An RMSprop optimizer: the contract plus its own settings. */
export interface RMSpropOptimizer extends KerasOptimizer {
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
}

const KEYS = [...BASE_OPTION_KEYS, 'rho', 'momentum', 'epsilon', 'centered'];

class RMSpropImpl extends BaseOptimizer implements RMSpropOptimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(o: RMSpropOptions) {
    const who = 'RMSprop';
    knownKeys(who, o, KEYS);
    const momentum = unitInterval(who, 'momentum', o.momentum ?? 0);
    const centered = boolean(who, 'centered', o.centered ?? false);
    const slots = ['velocity'];
    if (momentum > 0) slots.push('momentum');
    if (centered) slots.push('averageGradient');
    super(who, slots, o, 0.001);
    this.rho = unitInterval(who, 'rho', o.rho ?? 0.9);
    this.momentum = momentum;
    this.epsilon = positive(who, 'epsilon', o.epsilon ?? 1e-7);
    this.centered = centered;
  }

  protected updateStep(g: Tensor, v: Variable, slots: Variable[], lr: Scalar): void {
    const [vel] = slots;
    const mom = this.momentum > 0 ? slots[1] : null;
    const avg = this.centered ? slots[this.momentum > 0 ? 2 : 1] : null;
    const rho = this.constant('rho', this.rho);
    const oneMinusRho = this.constant('oneMinusRho', 1 - this.rho);
    const eps = this.constant('epsilon', this.epsilon);
    // Keras 3: velocity = rho*velocity + (1-rho)*g²
    const velNew = add(mul(rho, vel), mul(oneMinusRho, square(g)));
    vel.assign(velNew);
    let denominator: Tensor;
    if (avg) {
      const avgNew = add(mul(rho, avg), mul(oneMinusRho, g));
      avg.assign(avgNew);
      denominator = add(sub(velNew, square(avgNew)), eps);
    } else {
      denominator = add(velNew, eps);
    }
    // increment = lr*g / sqrt(denominator); momentum accumulates the increment (lr included)
    const increment = div(mul(lr, g), sqrt(denominator));
    if (mom) {
      const momNew = add(mul(this.constant('momentum', this.momentum), mom), increment);
      mom.assign(momNew);
      v.assign(sub(v, momNew));
    } else {
      v.assign(sub(v, increment));
    }
  }

  protected optimizerConfig(): Config {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

/**
 * RMSprop, as `keras.optimizers.RMSprop` (epsilon inside the square root):
 * `RMSprop()`, `RMSprop(1e-3, { rho: 0.9, momentum: 0.9, centered: true })`.
 */
export const RMSprop: OptimizerFactory<RMSpropOptions, RMSpropOptimizer> = defineOptimizer('RMSprop', (o: RMSpropOptions) => new RMSpropImpl(o));
