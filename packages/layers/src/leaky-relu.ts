import { leakyRelu } from '@neurona/activations';
import type { Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue } from './shape';

/** Options of `LeakyReLU`. */
export interface LeakyReLUOptions extends LayerOptions {
  /** Slope for x < 0 (default 0.1, as the course's `max(0.1x, x)`; Keras's default is 0.3/0.2). */
  alpha?: number;
  /** Keras 3's name for `alpha`. */
  negativeSlope?: number;
}

/** Leaky ReLU, `max(alpha·x, x)`. */
export class LeakyReLULayer extends Layer {
  static override readonly className: string = 'LeakyReLU';
  /** Passes the mask of its input on, as Keras. */
  override supportsMasking = true;
  readonly alpha: number;

  constructor(options: LeakyReLUOptions = {}) {
    super(options, ['alpha', 'negativeSlope']);
    const alpha = options.alpha ?? options.negativeSlope ?? 0.1;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
      throw new Error(`${this}: alpha must be a finite number >= 0, got ${describeValue(alpha)}`);
    }
    this.alpha = alpha;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return leakyRelu(inputs as Tensor, this.alpha);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  static fromConfig(config: LayerConfig): LeakyReLULayer {
    return new LeakyReLULayer(config as LeakyReLUOptions);
  }
}

/** The type of what `LeakyReLU()` returns. */
export type LeakyReLU = LeakyReLULayer;

/** `LeakyReLU()` is `max(0.1x, x)`; `LeakyReLU({ alpha: 0.2 })` changes the slope. */
export function LeakyReLU(options: LeakyReLUOptions = {}): LeakyReLU {
  return new LeakyReLULayer(options);
}
