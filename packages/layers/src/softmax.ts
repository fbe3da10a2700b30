import { softmax } from '@neurona/activations';
import type { Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue } from './shape';

/** Options of `Softmax`. */
export interface SoftmaxOptions extends LayerOptions {
  /** Axis to normalize (default -1, the last). */
  axis?: number;
}

/** Softmax along `axis`: non-negative values summing to 1. */
export class SoftmaxLayer extends Layer {
  static override readonly className: string = 'Softmax';
  readonly axis: number;

  constructor(options: SoftmaxOptions = {}) {
    super(options, ['axis']);
    const axis = options.axis ?? -1;
    if (!Number.isInteger(axis)) throw new Error(`${this}: axis must be an integer, got ${describeValue(axis)}`);
    this.axis = axis;
  }

  /** `'softmax'`. Its output carries its logits: cross-entropy losses use them on the last axis. */
  get activationName(): string {
    return 'softmax';
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return softmax(inputs as Tensor, this.axis);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }

  static fromConfig(config: LayerConfig): SoftmaxLayer {
    return new SoftmaxLayer(config as SoftmaxOptions);
  }
}

/** The type of what `Softmax()` returns. */
export type Softmax = SoftmaxLayer;

/** `Softmax()`, or `Softmax({ axis: 1 })`. */
export function Softmax(options: SoftmaxOptions = {}): Softmax {
  return new SoftmaxLayer(options);
}
