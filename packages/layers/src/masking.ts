import { any, cast, mul, notEqual } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerMask, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue } from './shape';

/** Options of `Masking`. */
export interface MaskingOptions extends LayerOptions {
  /** A time step whose features all equal this value is padding. Default 0. */
  maskValue?: number;
}

/**
 * Marks padded time steps, as Keras's `Masking`: for input `[batch, time, features]`, a step whose
 * features all equal `maskValue` is masked (its output is zeros) and the output carries the mask
 * `[batch, time]`, which recurrent layers, pooling, attention, losses and metrics honour.
 */
export class MaskingLayer extends Layer {
  static override readonly className: string = 'Masking';
  override supportsMasking = true;
  readonly maskValue: number;

  constructor(options: MaskingOptions = {}) {
    super(options, ['maskValue']);
    const v = options.maskValue ?? 0;
    if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`${this}: maskValue must be a number, got ${describeValue(v)}`);
    this.maskValue = v;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    return mul(x, cast(any(notEqual(x, this.maskValue), -1, true), x.dtype));
  }

  /** True where some feature differs from `maskValue`: `[batch, time]` for `[batch, time, features]`. */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | null): Tensor {
    void mask;
    return any(notEqual(inputs as Tensor, this.maskValue), -1);
  }

  override computeMaskPresence(inputMasked: boolean[], outputCount: number): boolean[] {
    void inputMasked;
    return Array.from({ length: outputCount }, () => true);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }

  static fromConfig(config: LayerConfig): MaskingLayer {
    return new MaskingLayer(config as MaskingOptions);
  }
}

/** The type of what `Masking()` returns. */
export type Masking = MaskingLayer;

/** `Masking({ maskValue: 0 })`: time steps whose features all equal `maskValue` are skipped downstream. */
export function Masking(options: MaskingOptions = {}): Masking {
  return new MaskingLayer(options);
}
