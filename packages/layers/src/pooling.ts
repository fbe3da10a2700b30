import { averagePooling, maxPooling } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { PoolingBaseLayer } from './pooling-base';
import {
  checkWindowFits,
  fromChannelsLast,
  joinShape,
  outputLength,
  splitShape,
  standardizeDataFormat,
  standardizePadding,
  standardizeTuple,
  toChannelsLast,
  type DataFormat,
  type SpatialArg,
} from './conv-utils';

/** Options of the pooling layers (Max/AveragePooling1D/2D/3D). */
export interface PoolingOptions extends LayerOptions {
  /** Window size per spatial axis (one number for all). Default 2 on every axis. */
  poolSize?: SpatialArg;
  /** Step per spatial axis; default (null) the window size, as Keras. */
  strides?: SpatialArg | null;
  /** `'valid'` (default) or `'same'` (an average then counts only the real cells of a window, as TensorFlow). */
  padding?: 'valid' | 'same';
  /** `'channels_last'` (default) or `'channels_first'`. */
  dataFormat?: DataFormat | null;
}

const KEYS = ['poolSize', 'strides', 'padding', 'dataFormat'];

/** Max or average pooling over 1, 2 or 3 spatial axes, as Keras's pooling layers. */
export abstract class PoolingLayer extends PoolingBaseLayer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;

  constructor(rank: number, mode: 'max' | 'avg', options: PoolingOptions) {
    super(rank, mode, options, KEYS);
    const where = String(this);
    this.poolSize = standardizeTuple(where, 'poolSize', options.poolSize ?? 2, rank);
    this.strides = standardizeTuple(where, 'strides', options.strides ?? this.poolSize, rank);
    this.padding = standardizePadding(where, options.padding ?? 'valid', false) as 'valid' | 'same';
    this.dataFormat = standardizeDataFormat(where, options.dataFormat);
  }

  private checkFits(shape: Shape): void {
    if (this.padding === 'valid') checkWindowFits(String(this), 'pool window', splitShape(shape, this.dataFormat).spatial, this.poolSize, this.strides, this.poolSize.map(() => 1), 'valid', shape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    this.checkFits(s);
    const { spatial, channels } = splitShape(s, this.dataFormat);
    const out = spatial.map((n, i) => outputLength(n, this.poolSize[i], this.strides[i], 1, this.padding));
    return joinShape(s[0] ?? null, out, channels, this.dataFormat);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    this.checkFits(x.shape);
    const op = this.mode === 'max' ? maxPooling : averagePooling;
    const y = op(toChannelsLast(x, this.dataFormat), { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
    return fromChannelsLast(y, this.dataFormat);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), poolSize: [...this.poolSize], padding: this.padding, strides: [...this.strides], dataFormat: this.dataFormat };
  }
}

function args(a?: SpatialArg | PoolingOptions, b?: PoolingOptions): PoolingOptions {
  if (a === undefined || (typeof a === 'object' && !Array.isArray(a))) return (a as PoolingOptions | undefined) ?? {};
  return { ...b, poolSize: a };
}

/** Max pooling over steps: input `[batch, steps, channels]`; `poolSize` default 2. */
export class MaxPooling1DLayer extends PoolingLayer {
  static override readonly className: string = 'MaxPooling1D';
  constructor(options: PoolingOptions = {}) {
    super(1, 'max', options);
  }
  static fromConfig(config: LayerConfig): MaxPooling1DLayer {
    return new MaxPooling1DLayer(config as PoolingOptions);
  }
}

/** Max pooling over height and width: input `[batch, height, width, channels]`; `poolSize` default [2, 2]. */
export class MaxPooling2DLayer extends PoolingLayer {
  static override readonly className: string = 'MaxPooling2D';
  constructor(options: PoolingOptions = {}) {
    super(2, 'max', options);
  }
  static fromConfig(config: LayerConfig): MaxPooling2DLayer {
    return new MaxPooling2DLayer(config as PoolingOptions);
  }
}

/** Max pooling over depth, height and width; `poolSize` default [2, 2, 2]. */
export class MaxPooling3DLayer extends PoolingLayer {
  static override readonly className: string = 'MaxPooling3D';
  constructor(options: PoolingOptions = {}) {
    super(3, 'max', options);
  }
  static fromConfig(config: LayerConfig): MaxPooling3DLayer {
    return new MaxPooling3DLayer(config as PoolingOptions);
  }
}

/** Average pooling over steps: input `[batch, steps, channels]`. */
export class AveragePooling1DLayer extends PoolingLayer {
  static override readonly className: string = 'AveragePooling1D';
  constructor(options: PoolingOptions = {}) {
    super(1, 'avg', options);
  }
  static fromConfig(config: LayerConfig): AveragePooling1DLayer {
    return new AveragePooling1DLayer(config as PoolingOptions);
  }
}

/** Average pooling over height and width. */
export class AveragePooling2DLayer extends PoolingLayer {
  static override readonly className: string = 'AveragePooling2D';
  constructor(options: PoolingOptions = {}) {
    super(2, 'avg', options);
  }
  static fromConfig(config: LayerConfig): AveragePooling2DLayer {
    return new AveragePooling2DLayer(config as PoolingOptions);
  }
}

/** Average pooling over depth, height and width. */
export class AveragePooling3DLayer extends PoolingLayer {
  static override readonly className: string = 'AveragePooling3D';
  constructor(options: PoolingOptions = {}) {
    super(3, 'avg', options);
  }
  static fromConfig(config: LayerConfig): AveragePooling3DLayer {
    return new AveragePooling3DLayer(config as PoolingOptions);
  }
}

/** The type of what `MaxPooling1D()` returns. */
export type MaxPooling1D = MaxPooling1DLayer;
/** The type of what `MaxPooling2D()` returns. */
export type MaxPooling2D = MaxPooling2DLayer;
/** The type of what `MaxPooling3D()` returns. */
export type MaxPooling3D = MaxPooling3DLayer;
/** The type of what `AveragePooling1D()` returns. */
export type AveragePooling1D = AveragePooling1DLayer;
/** The type of what `AveragePooling2D()` returns. */
export type AveragePooling2D = AveragePooling2DLayer;
/** The type of what `AveragePooling3D()` returns. */
export type AveragePooling3D = AveragePooling3DLayer;

/** `MaxPooling1D({ poolSize: 2, strides, padding })` or `MaxPooling1D(2)`, as Keras. */
export function MaxPooling1D(poolSize?: SpatialArg | PoolingOptions, options?: PoolingOptions): MaxPooling1D {
  return new MaxPooling1DLayer(args(poolSize, options));
}

/** `MaxPooling2D({ poolSize: [2, 2] })` or `MaxPooling2D(2)`, as Keras (strides default to the pool size). */
export function MaxPooling2D(poolSize?: SpatialArg | PoolingOptions, options?: PoolingOptions): MaxPooling2D {
  return new MaxPooling2DLayer(args(poolSize, options));
}

/** `MaxPooling3D({ poolSize: [2, 2, 2] })`, as Keras. */
export function MaxPooling3D(poolSize?: SpatialArg | PoolingOptions, options?: PoolingOptions): MaxPooling3D {
  return new MaxPooling3DLayer(args(poolSize, options));
}

/** `AveragePooling1D({ poolSize: 2 })`, as Keras. */
export function AveragePooling1D(poolSize?: SpatialArg | PoolingOptions, options?: PoolingOptions): AveragePooling1D {
  return new AveragePooling1DLayer(args(poolSize, options));
}

/** `AveragePooling2D({ poolSize: [2, 2], padding: 'same' })`, as Keras. */
export function AveragePooling2D(poolSize?: SpatialArg | PoolingOptions, options?: PoolingOptions): AveragePooling2D {
  return new AveragePooling2DLayer(args(poolSize, options));
}

/** `AveragePooling3D({ poolSize: [2, 2, 2] })`, as Keras. */
export function AveragePooling3D(poolSize?: SpatialArg | PoolingOptions, options?: PoolingOptions): AveragePooling3D {
  return new AveragePooling3DLayer(args(poolSize, options));
}
