import { softmax } from '@neurona/activations';
import { add, cast, mul, sub } from '@neurona/tensor';
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
  /** Passes the mask of its input on, as Keras. */
  override supportsMasking = true;
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

  /**
   * With a mask of the input's rank (an attention mask, broadcast as numpy does), masked entries
   * get -1e9 before the softmax and 0 after it, as Keras. A sequence mask over the leading axes
   * (`[batch, time]` for `[batch, time, classes]`) is passed on and leaves the values alone.
   */
  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = inputs as Tensor;
    const m = kwargs.mask;
    if (!m || Array.isArray(m) || m.rank !== x.rank) return softmax(x, this.axis);
    const keep = cast(m, x.dtype);
    const out = softmax(add(x, mul(sub(1, keep), -1e9)), this.axis);
    return mul(out, keep);
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
