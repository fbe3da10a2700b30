import { add, div, maximum, mul, sqrt, square, sub } from '@neurona/tensor';
import type { Scalar, Tensor, Variable } from '@neurona/tensor';
import { BASE_OPTION_KEYS, BaseOptimizer } from './base-optimizer';
import type { BaseOptimizerOptions, Config, KerasOptimizer, LearningRateSchedule } from './types';
import { defineOptimizer, type OptimizerFactory } from './define-optimizer';
import { boolean, knownKeys, positive, unitInterval } from './validate';

export interface AdamOptions extends BaseOptimizerOptions {
  /** Default 0.001. */
  learningRate?: number | LearningRateSchedule;
  /** Decay of the first-moment average, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second-moment average, in [0, 1); default 0.999. */
  beta2?: number;
  /** > 0; default 1e-7, added to sqrt(v) as Keras does (not to the bias-corrected sqrt). */
  epsilon?: number;
  /** Use the maximum of past second moments (AMSGrad); default false. */
  amsgrad?: boolean;
}

/** An Adam optimizer: the contract plus its own settings. */
export interface AdamOptimizer extends KerasOptimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
}

export const ADAM_KEYS = [...BASE_OPTION_KEYS, 'beta1', 'beta2', 'epsilon', 'amsgrad'];

/** Adam's update, shared with AdamW (which only adds weight decay, done by the base class). */
export class AdamImpl extends BaseOptimizer implements AdamOptimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(o: AdamOptions, who = 'Adam', keys: readonly string[] = ADAM_KEYS) {
    knownKeys(who, o, keys);
    const amsgrad = boolean(who, 'amsgrad', o.amsgrad ?? false);
    super(who, amsgrad ? ['momentum', 'velocity', 'velocityHat'] : ['momentum', 'velocity'], o, 0.001);
    this.beta1 = unitInterval(who, 'beta1', o.beta1 ?? 0.9);
    this.beta2 = unitInterval(who, 'beta2', o.beta2 ?? 0.999);
    this.epsilon = positive(who, 'epsilon', o.epsilon ?? 1e-7);
    this.amsgrad = amsgrad;
  }

  protected updateStep(g: Tensor, v: Variable, slots: Variable[], _lr: Scalar, step: number, lrValue: number): void {
    const [m, vel, vHat] = slots;
    // Keras 3: alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t), computed here in float64 once per step.
    const alphaValue = (lrValue * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
    const alpha = this.constant('alpha', alphaValue);
    const oneMinusB1 = this.constant('oneMinusBeta1', 1 - this.beta1);
    const oneMinusB2 = this.constant('oneMinusBeta2', 1 - this.beta2);
    const eps = this.constant('epsilon', this.epsilon);
    // m += (g - m) * (1 - beta1); v += (g² - v) * (1 - beta2)
    const mNew = add(m, mul(sub(g, m), oneMinusB1));
    let vNew = add(vel, mul(sub(square(g), vel), oneMinusB2));
    m.assign(mNew);
    vel.assign(vNew);
    if (this.amsgrad) {
      vNew = maximum(vHat, vNew);
      vHat.assign(vNew);
    }
    // var -= alpha * m / (sqrt(v) + epsilon)
    v.assign(sub(v, div(mul(mNew, alpha), add(sqrt(vNew), eps))));
  }

  protected optimizerConfig(): Config {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/**
 * Adam, as `keras.optimizers.Adam` (epsilon 1e-7 added to sqrt(v) outside the bias correction):
 * `Adam()`, `Adam(1e-3)`, `Adam({ learningRate: 1e-3, amsgrad: true })`.
 */
export const Adam: OptimizerFactory<AdamOptions, AdamOptimizer> = defineOptimizer('Adam', (o: AdamOptions) => new AdamImpl(o));
