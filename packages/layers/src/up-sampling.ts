// UpSampling1D/2D/3D: each step, pixel or voxel repeated `size` times along its axis (Keras's
// `ops.repeat`), or, for UpSampling2D, bilinear interpolation (Keras's `ops.image.resize`).
import { broadcastTo, reshape } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { resizeImages } from './image-resize';
import type { Interpolation } from './image-resize';
import { describeValue } from './shape';
import { intTuple, spatialAxes } from './spatial-args';
import type { DataFormat } from './spatial-args';
import { SpatialLayer } from './spatial-layer';

/** Each entry of `axis` repeated `times` times in a row (numpy's `repeat`), with a gradient everywhere. */
export function repeatAxis(x: Tensor, axis: number, times: number): Tensor {
  if (times === 1) return x;
  // as [outer, n, 1, inner] broadcast to [outer, n, times, inner]: rank 4 whatever x's rank, so
  // the gradient (tfjs's Tile gradient, rank 4 at most) exists
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = x.shape[axis];
  const grown = broadcastTo(reshape(x, [outer, n, 1, inner]), [outer, n, times, inner]);
  const out = [...x.shape];
  out[axis] *= times;
  return reshape(grown, out);
}

/** Options of `UpSampling2D`. */
export interface UpSampling2DOptions extends LayerOptions {
  /** `'channels_last'` (default) or `'channels_first'`. */
  dataFormat?: DataFormat | null;
  /** `'nearest'` (default: each pixel repeated) or `'bilinear'`. */
  interpolation?: Interpolation;
}

/** Options of `UpSampling3D`. */
export interface UpSampling3DOptions extends LayerOptions {
  /** `'channels_last'` (default) or `'channels_first'`. */
  dataFormat?: DataFormat | null;
}

abstract class UpSamplingBase extends SpatialLayer {
  readonly size: number[];

  constructor(dims: number, size: number | number[], format: unknown, options: LayerOptions) {
    super(dims, format, options, []);
    this.size = intTuple(`${this}`, 'size', size, dims);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.mapSpatialSizes(inputShape, (d, i) => d * this.size[i]);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    let x = inputs as Tensor;
    spatialAxes(x.rank, this.dataFormat).forEach((ax, i) => (x = repeatAxis(x, ax, this.size[i])));
    return x;
  }
}

/** Repeats each step `size` times: `[b, steps, c]` → `[b, steps·size, c]` (Keras's `UpSampling1D`). */
export class UpSampling1DLayer extends UpSamplingBase {
  static override readonly className: string = 'UpSampling1D';
  constructor(size = 2, options: LayerOptions = {}) {
    super(1, size, null, options);
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), size: this.size[0] };
  }
  static fromConfig(config: LayerConfig): UpSampling1DLayer {
    const { size, ...rest } = config;
    return new UpSampling1DLayer(size as number, rest as LayerOptions);
  }
}

/** Scales images up by integer factors, repeating pixels or interpolating (Keras's `UpSampling2D`). */
export class UpSampling2DLayer extends UpSamplingBase {
  static override readonly className: string = 'UpSampling2D';
  readonly interpolation: Interpolation;
  constructor(size: number | number[] = 2, options: UpSampling2DOptions = {}) {
    const { dataFormat, interpolation, ...base } = options ?? {};
    super(2, size, dataFormat, base);
    if (interpolation !== undefined && interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new Error(`${this}: interpolation must be 'nearest' or 'bilinear', got ${describeValue(interpolation)}`);
    }
    this.interpolation = interpolation ?? 'nearest';
  }
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    if (this.interpolation === 'nearest') return super.call(inputs, kwargs);
    const x = inputs as Tensor;
    const [hAx, wAx] = spatialAxes(4, this.dataFormat);
    return resizeImages(x, x.shape[hAx] * this.size[0], x.shape[wAx] * this.size[1], 'bilinear', this.dataFormat);
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), size: [...this.size], dataFormat: this.dataFormat, interpolation: this.interpolation };
  }
  static fromConfig(config: LayerConfig): UpSampling2DLayer {
    const { size, ...rest } = config;
    return new UpSampling2DLayer(size as number[], rest as UpSampling2DOptions);
  }
}

/** Repeats each voxel along depth, height and width (Keras's `UpSampling3D`). */
export class UpSampling3DLayer extends UpSamplingBase {
  static override readonly className: string = 'UpSampling3D';
  constructor(size: number | number[] = 2, options: UpSampling3DOptions = {}) {
    const { dataFormat, ...base } = options ?? {};
    super(3, size, dataFormat, base);
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), size: [...this.size], dataFormat: this.dataFormat };
  }
  static fromConfig(config: LayerConfig): UpSampling3DLayer {
    const { size, ...rest } = config;
    return new UpSampling3DLayer(size as number[], rest as UpSampling3DOptions);
  }
}

/** The type of what `UpSampling1D()` returns. */
export type UpSampling1D = UpSampling1DLayer;
/** The type of what `UpSampling2D()` returns. */
export type UpSampling2D = UpSampling2DLayer;
/** The type of what `UpSampling3D()` returns. */
export type UpSampling3D = UpSampling3DLayer;

/** `UpSampling1D(3)`: each step repeated 3 times. Default 2. */
export function UpSampling1D(size = 2, options: LayerOptions = {}): UpSampling1D {
  return new UpSampling1DLayer(size, options);
}

/** `UpSampling2D(2)` or `UpSampling2D([2, 3], { interpolation: 'bilinear' })`: rows × 2, columns × 3. Default 2. */
export function UpSampling2D(size: number | number[] = 2, options: UpSampling2DOptions = {}): UpSampling2D {
  return new UpSampling2DLayer(size, options);
}

/** `UpSampling3D(2)`: depth, height and width doubled by repetition. Default 2. */
export function UpSampling3D(size: number | number[] = 2, options: UpSampling3DOptions = {}): UpSampling3D {
  return new UpSampling3DLayer(size, options);
}
