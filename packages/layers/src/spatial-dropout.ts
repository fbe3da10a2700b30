// SpatialDropout1D/2D/3D: Dropout of whole feature maps (one draw per sample and channel), as
// Keras's, for convolutional features whose neighbouring values are strongly correlated.
import { cast, div, greaterEqual, mul, randomUniform, SeedGenerator } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import type { DataFormat } from './spatial-args';
import { SpatialLayer } from './spatial-layer';
import { checkRate, checkSeed, rateArgs } from './random-args';

/** Options of `SpatialDropout1D/2D/3D`. */
export interface SpatialDropoutOptions extends LayerOptions {
  /** The layer's own random stream: the same seed gives the same sequence of masks. */
  seed?: number | null;
  /** `'channels_last'` (default) or `'channels_first'` (2D and 3D only, as Keras). */
  dataFormat?: DataFormat | null;
}

abstract class SpatialDropoutBase extends SpatialLayer {
  readonly rate: number;
  readonly seed: number | null;
  private readonly seeds: SeedGenerator;

  constructor(dims: number, rate: number, options: SpatialDropoutOptions, takesFormat: boolean) {
    const { seed, dataFormat, ...base } = options ?? {};
    super(dims, dataFormat, takesFormat ? base : { ...base, ...(dataFormat === undefined ? {} : { dataFormat }) }, []);
    this.rate = checkRate(`${this}`, rate);
    this.seed = checkSeed(`${this}`, seed);
    this.seeds = new SeedGenerator(this.seed);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = inputs as Tensor;
    if (!kwargs.training || this.rate === 0) return x;
    // one draw per sample and channel, broadcast over the spatial axes
    const channelAxis = this.dataFormat === 'channels_last' ? x.rank - 1 : 1;
    const noise = x.shape.map((d, i) => (i === 0 || i === channelAxis ? d : 1));
    const keep = cast(greaterEqual(randomUniform(noise, 0, 1, 'float32', this.seeds.next()), this.rate), x.dtype);
    return mul(x, div(keep, 1 - this.rate));
  }

  override getConfig(): LayerConfig {
    const config: LayerConfig = { ...super.getConfig(), rate: this.rate, seed: this.seed };
    if (this.dims > 1) config.dataFormat = this.dataFormat;
    return config;
  }
}

/** Drops whole channels of `[batch, steps, channels]` while training (Keras's `SpatialDropout1D`). */
export class SpatialDropout1DLayer extends SpatialDropoutBase {
  static override readonly className: string = 'SpatialDropout1D';
  constructor(rate: number, options: Omit<SpatialDropoutOptions, 'dataFormat'> = {}) {
    super(1, rate, options, false);
  }
  static fromConfig(config: LayerConfig): SpatialDropout1DLayer {
    return new SpatialDropout1DLayer(...rateArgs<SpatialDropoutOptions>(config));
  }
}

/** Drops whole feature maps of images while training (Keras's `SpatialDropout2D`). */
export class SpatialDropout2DLayer extends SpatialDropoutBase {
  static override readonly className: string = 'SpatialDropout2D';
  constructor(rate: number, options: SpatialDropoutOptions = {}) {
    super(2, rate, options, true);
  }
  static fromConfig(config: LayerConfig): SpatialDropout2DLayer {
    return new SpatialDropout2DLayer(...rateArgs<SpatialDropoutOptions>(config));
  }
}

/** Drops whole feature volumes while training (Keras's `SpatialDropout3D`). */
export class SpatialDropout3DLayer extends SpatialDropoutBase {
  static override readonly className: string = 'SpatialDropout3D';
  constructor(rate: number, options: SpatialDropoutOptions = {}) {
    super(3, rate, options, true);
  }
  static fromConfig(config: LayerConfig): SpatialDropout3DLayer {
    return new SpatialDropout3DLayer(...rateArgs<SpatialDropoutOptions>(config));
  }
}

/** The type of what `SpatialDropout1D()` returns. */
export type SpatialDropout1D = SpatialDropout1DLayer;
/** The type of what `SpatialDropout2D()` returns. */
export type SpatialDropout2D = SpatialDropout2DLayer;
/** The type of what `SpatialDropout3D()` returns. */
export type SpatialDropout3D = SpatialDropout3DLayer;

/** `SpatialDropout1D(0.2)`: each channel of a sample dropped with probability 0.2 while training. */
export function SpatialDropout1D(rate: number, options: Omit<SpatialDropoutOptions, 'dataFormat'> = {}): SpatialDropout1D {
  return new SpatialDropout1DLayer(rate, options);
}

/** `SpatialDropout2D(0.2)`: each feature map of a sample dropped with probability 0.2 while training. */
export function SpatialDropout2D(rate: number, options: SpatialDropoutOptions = {}): SpatialDropout2D {
  return new SpatialDropout2DLayer(rate, options);
}

/** `SpatialDropout3D(0.2)`: each feature volume of a sample dropped with probability 0.2 while training. */
export function SpatialDropout3D(rate: number, options: SpatialDropoutOptions = {}): SpatialDropout3D {
  return new SpatialDropout3DLayer(rate, options);
}
