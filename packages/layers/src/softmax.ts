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

  /**
   * `'softmax'` on the last axis, which the fused softmax + cross-entropy path reads; on another
   * axis `'softmax(axis=1)'`, so that path is not taken.
   */
  get activationName(): string {
    return this.axis === -1 ? 'softmax' : `softmax(axis=${this.axis})`;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return softmax(inputs as Tensor, this.axis);
  }

  /** The input unchanged (a copy): the forward pass without the softmax, for the fused loss. */
  callLogits(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    return this.eager([inputs], kwargs, (x) => x, (o) => softmax(o, this.axis)) as Tensor;
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
