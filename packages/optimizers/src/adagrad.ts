import { add, div, fill, mul, sqrt, square, sub } from '@neurona/tensor';
import type { Scalar, Tensor, Variable } from '@neurona/tensor';
import { BASE_OPTION_KEYS, BaseOptimizer } from './base-optimizer';
import type { BaseOptimizerOptions, Config, KerasOptimizer, LearningRateSchedule } from './types';
import { defineOptimizer, type OptimizerFactory } from './define-optimizer';
import { knownKeys, nonNegative, positive } from './validate';

export interface AdagradOptions extends BaseOptimizerOptions {
  /** Default 0.001. */
  learningRate?: number | LearningRateSchedule;
  /** Starting value of the squared-gradient sum, >= 0; default 0.1 (Keras; PyTorch uses 0). */
  initialAccumulatorValue?: number;
  /** > 0; default 1e-7, added inside the square root as Keras does. */
  epsilon?: number;
}

/** An Adagrad optimizer: the contract plus its own settings. */
export interface AdagradOptimizer extends KerasOptimizer {
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
}

const KEYS = [...BASE_OPTION_KEYS, 'initialAccumulatorValue', 'epsilon'];

class AdagradImpl extends BaseOptimizer implements AdagradOptimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(o: AdagradOptions) {
    const who = 'Adagrad';
    knownKeys(who, o, KEYS);
    super(who, ['accumulator'], o, 0.001);
    this.initialAccumulatorValue = nonNegative(who, 'initialAccumulatorValue', o.initialAccumulatorValue ?? 0.1);
    this.epsilon = positive(who, 'epsilon', o.epsilon ?? 1e-7);
  }

  protected override initialSlot(_slot: string, v: Variable): Tensor {
    return fill(v.shape, this.initialAccumulatorValue, v.dtype);
  }

  protected updateStep(g: Tensor, v: Variable, slots: Variable[], lr: Scalar): void {
    const [acc] = slots;
    // Keras 3: acc += g²; var -= lr*g / sqrt(acc + epsilon)
    const accNew = add(acc, square(g));
    acc.assign(accNew);
    v.assign(sub(v, div(mul(lr, g), sqrt(add(accNew, this.constant('epsilon', this.epsilon))))));
  }

  protected optimizerConfig(): Config {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

/**
 * Adagrad, as `keras.optimizers.Adagrad` (accumulator starts at 0.1, epsilon inside the root):
 * `Adagrad(0.01)`, `Adagrad({ learningRate: 0.01, initialAccumulatorValue: 0 })`.
 */
export const Adagrad: OptimizerFactory<AdagradOptions, AdagradOptimizer> = defineOptimizer('Adagrad', (o: AdagradOptions) => new AdagradImpl(o));
