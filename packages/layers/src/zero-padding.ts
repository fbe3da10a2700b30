// ZeroPadding1D/2D/3D: zeros added before and after each spatial dimension, as Keras's.
import { pad } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { pairTuple, spatialAxes } from './spatial-args';
import type { DataFormat } from './spatial-args';
import { SpatialLayer } from './spatial-layer';

/** Options of `ZeroPadding1D/2D/3D`. */
export interface ZeroPaddingOptions extends LayerOptions {
  /** `'channels_last'` (default) or `'channels_first'`. */
  dataFormat?: DataFormat | null;
}

/** Padding of each spatial dimension: an integer, one per dimension, or `[before, after]` per dimension. */
export type PaddingSpec = number | number[] | number[][];

abstract class ZeroPaddingBase extends SpatialLayer {
  /** `[before, after]` per spatial dimension. */
  readonly padding: [number, number][];

  constructor(dims: number, padding: PaddingSpec, options: ZeroPaddingOptions) {
    const { dataFormat, ...base } = options ?? {};
    super(dims, dataFormat, base, []);
    this.padding = pairTuple(`${this}`, 'padding', padding, dims);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.mapSpatialSizes(inputShape, (d, i) => d + this.padding[i][0] + this.padding[i][1]);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    const widths: [number, number][] = x.shape.map(() => [0, 0]);
    spatialAxes(x.rank, this.dataFormat).forEach((ax, i) => (widths[ax] = this.padding[i]));
    return pad(x, widths);
  }

  override getConfig(): LayerConfig {
    // Keras writes a 1D padding as [left, right], 2D/3D as pairs per dimension
    const padding = this.dims === 1 ? [...this.padding[0]] : this.padding.map((p) => [...p]);
    return { ...super.getConfig(), padding, dataFormat: this.dataFormat };
  }
}

function paddingArgs(config: LayerConfig): [PaddingSpec, ZeroPaddingOptions] {
  const { padding, ...rest } = config;
  return [padding as PaddingSpec, rest as ZeroPaddingOptions];
}

/** Zeros before and after the steps of `[batch, steps, channels]` (Keras's `ZeroPadding1D`). */
export class ZeroPadding1DLayer extends ZeroPaddingBase {
  static override readonly className: string = 'ZeroPadding1D';
  constructor(padding: PaddingSpec = 1, options: ZeroPaddingOptions = {}) {
    super(1, padding, options);
  }
  static fromConfig(config: LayerConfig): ZeroPadding1DLayer {
    return new ZeroPadding1DLayer(...paddingArgs(config));
  }
}

/** Zeros around the rows and columns of images (Keras's `ZeroPadding2D`). */
export class ZeroPadding2DLayer extends ZeroPaddingBase {
  static override readonly className: string = 'ZeroPadding2D';
  constructor(padding: PaddingSpec = 1, options: ZeroPaddingOptions = {}) {
    super(2, padding, options);
  }
  static fromConfig(config: LayerConfig): ZeroPadding2DLayer {
    return new ZeroPadding2DLayer(...paddingArgs(config));
  }
}

/** Zeros around the three spatial dimensions of volumes (Keras's `ZeroPadding3D`). */
export class ZeroPadding3DLayer extends ZeroPaddingBase {
  static override readonly className: string = 'ZeroPadding3D';
  constructor(padding: PaddingSpec = 1, options: ZeroPaddingOptions = {}) {
    super(3, padding, options);
  }
  static fromConfig(config: LayerConfig): ZeroPadding3DLayer {
    return new ZeroPadding3DLayer(...paddingArgs(config));
  }
}

/** The type of what `ZeroPadding1D()` returns. */
export type ZeroPadding1D = ZeroPadding1DLayer;
/** The type of what `ZeroPadding2D()` returns. */
export type ZeroPadding2D = ZeroPadding2DLayer;
/** The type of what `ZeroPadding3D()` returns. */
export type ZeroPadding3D = ZeroPadding3DLayer;

/** `ZeroPadding1D(2)` or `ZeroPadding1D([1, 3])`: `[b, steps, c]` → `[b, steps + before + after, c]`. Default 1. */
export function ZeroPadding1D(padding: PaddingSpec = 1, options: ZeroPaddingOptions = {}): ZeroPadding1D {
  return new ZeroPadding1DLayer(padding, options);
}

/** `ZeroPadding2D(1)`, `ZeroPadding2D([1, 2])` (rows, columns) or `ZeroPadding2D([[top, bottom], [left, right]])`. Default 1. */
export function ZeroPadding2D(padding: PaddingSpec = 1, options: ZeroPaddingOptions = {}): ZeroPadding2D {
  return new ZeroPadding2DLayer(padding, options);
}

/** `ZeroPadding3D(1)`, three integers, or three `[before, after]` pairs (depth, height, width). Default 1. */
export function ZeroPadding3D(padding: PaddingSpec = 1, options: ZeroPaddingOptions = {}): ZeroPadding3D {
  return new ZeroPadding3DLayer(padding, options);
}
