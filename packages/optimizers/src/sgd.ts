import { add, mul, sub } from '@neurona/tensor';
import type { Scalar, Tensor, Variable } from '@neurona/tensor';
import { BASE_OPTION_KEYS, BaseOptimizer } from './base-optimizer';
import type { BaseOptimizerOptions, Config, KerasOptimizer, LearningRateSchedule } from './types';
import { defineOptimizer, type OptimizerFactory } from './define-optimizer';
import { boolean, knownKeys, unitInterval } from './validate';

export interface SGDOptions extends BaseOptimizerOptions {
  /** Default 0.01. */
  learningRate?: number | LearningRateSchedule;
  /** In [0, 1); 0 (default) is plain gradient descent. */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/** An SGD optimizer: the contract plus its own settings. */
export interface SGDOptimizer extends KerasOptimizer {
  readonly momentum: number;
  readonly nesterov: boolean;
}

const KEYS = [...BASE_OPTION_KEYS, 'momentum', 'nesterov'];

class SGDImpl extends BaseOptimizer implements SGDOptimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(o: SGDOptions) {
    knownKeys('SGD', o, KEYS);
    const momentum = unitInterval('SGD', 'momentum', o.momentum ?? 0);
    super('SGD', momentum > 0 ? ['momentum'] : [], o, 0.01);
    this.momentum = momentum;
    this.nesterov = boolean('SGD', 'nesterov', o.nesterov ?? false);
  }

  protected updateStep(g: Tensor, v: Variable, slots: Variable[], lr: Scalar): void {
    if (this.momentum === 0) {
      v.assign(sub(v, mul(g, lr)));
      return;
    }
    // Keras 3: m = momentum*m - lr*g; then v += m, or v += momentum*m - lr*g with Nesterov.
    const [m] = slots;
    const mu = this.constant('momentum', this.momentum);
    const step = mul(g, lr);
    const mNew = sub(mul(m, mu), step);
    m.assign(mNew);
    v.assign(add(v, this.nesterov ? sub(mul(mNew, mu), step) : mNew));
  }

  protected optimizerConfig(): Config {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}

/**
 * Stochastic gradient descent, with optional (Nesterov) momentum, as `keras.optimizers.SGD`:
 * `SGD(0.01)`, `SGD(0.01, { momentum: 0.9, nesterov: true })`, `SGD({ learningRate: 0.1 })`.
 */
export const SGD: OptimizerFactory<SGDOptions, SGDOptimizer> = defineOptimizer('SGD', (o: SGDOptions) => new SGDImpl(o));
