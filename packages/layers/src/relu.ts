import { minimum, mul, relu, sub, where, greaterEqual } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue } from './shape';

const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

/** Options of `ReLU` (Keras's). */
export interface ReLUOptions extends LayerOptions {
  /** Upper bound of the output (default none). */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Values below it are damped (default 0). */
  threshold?: number;
}

/** ReLU, `max(0, x)`; with options Keras's `x ≥ threshold ? min(x, maxValue) : negativeSlope·(x − threshold)`. */
export class ReLULayer extends Layer {
  static override readonly className: string = 'ReLU';
  /** Passes the mask of its input on, as Keras. */
  override supportsMasking = true;
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(options: ReLUOptions = {}) {
    super(options, ['maxValue', 'negativeSlope', 'threshold']);
    const { maxValue = null, negativeSlope = 0, threshold = 0 } = options;
    if (maxValue !== null && (!finite(maxValue) || maxValue < 0)) {
      throw new Error(`${this}: maxValue must be a finite number >= 0 or null, got ${describeValue(maxValue)}`);
    }
    if (!finite(negativeSlope) || negativeSlope < 0) {
      throw new Error(`${this}: negativeSlope must be a finite number >= 0, got ${describeValue(negativeSlope)}`);
    }
    if (!finite(threshold)) throw new Error(`${this}: threshold must be a finite number, got ${describeValue(threshold)}`);
    this.maxValue = maxValue;
    this.negativeSlope = negativeSlope;
    this.threshold = threshold;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    let y: Tensor;
    if (this.negativeSlope === 0 && this.threshold === 0) {
      y = relu(x);
    } else {
      const below = mul(sub(x, this.threshold), this.negativeSlope);
      y = where(greaterEqual(x, this.threshold), x, below);
    }
    return this.maxValue === null ? y : minimum(y, this.maxValue);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }

  static fromConfig(config: LayerConfig): ReLULayer {
    return new ReLULayer(config as ReLUOptions);
  }
}

/** The type of what `ReLU()` returns. */
export type ReLU = ReLULayer;

/** `ReLU()` is `max(0, x)`; `ReLU({ maxValue: 6 })` is ReLU6. */
export function ReLU(options: ReLUOptions = {}): ReLU {
  return new ReLULayer(options);
}
