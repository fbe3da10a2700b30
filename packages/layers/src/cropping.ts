// Cropping1D/2D/3D: values removed before and after each spatial dimension, as Keras's.
import { slice } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { formatShape } from './shape';
import { checkSpatialRank, pairTuple, spatialAxes } from './spatial-args';
import type { DataFormat } from './spatial-args';
import { SpatialLayer } from './spatial-layer';
import type { PaddingSpec } from './zero-padding';

/** Options of `Cropping2D/3D` (Cropping1D has no `dataFormat`, as Keras's). */
export interface CroppingOptions extends LayerOptions {
  /** `'channels_last'` (default) or `'channels_first'`. */
  dataFormat?: DataFormat | null;
}

abstract class CroppingBase extends SpatialLayer {
  /** `[before, after]` per spatial dimension. */
  readonly cropping: [number, number][];

  constructor(dims: number, cropping: PaddingSpec, options: CroppingOptions, takesFormat: boolean) {
    const { dataFormat, ...base } = options ?? {};
    super(dims, takesFormat ? dataFormat : null, takesFormat ? base : (options ?? {}), []);
    this.cropping = pairTuple(`${this}`, 'cropping', cropping, dims);
  }

  protected override assertInputCompatible(shapes: Shape[]): void {
    checkSpatialRank(this, this.dims, this.dataFormat, shapes[0]);
    this.computeOutputShape(shapes[0]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.mapSpatialSizes(inputShape, (d, i, ax) => {
      const left = d - this.cropping[i][0] - this.cropping[i][1];
      if (left <= 0) {
        throw new Error(
          `${this}: cropping ${JSON.stringify(this.cropping)} leaves nothing of dimension ${ax} of input ${formatShape(inputShape as Shape)}`,
        );
      }
      return left;
    });
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    const begin = x.shape.map(() => 0);
    const size = [...x.shape];
    spatialAxes(x.rank, this.dataFormat).forEach((ax, i) => {
      begin[ax] = this.cropping[i][0];
      size[ax] = x.shape[ax] - this.cropping[i][0] - this.cropping[i][1];
    });
    return slice(x, begin, size);
  }

  override getConfig(): LayerConfig {
    const cropping = this.dims === 1 ? [...this.cropping[0]] : this.cropping.map((p) => [...p]);
    const config: LayerConfig = { ...super.getConfig(), cropping };
    if (this.dims > 1) config.dataFormat = this.dataFormat;
    return config;
  }
}

function croppingArgs(config: LayerConfig): [PaddingSpec, CroppingOptions] {
  const { cropping, ...rest } = config;
  return [cropping as PaddingSpec, rest as CroppingOptions];
}

/** Removes steps at both ends of `[batch, steps, channels]` (Keras's `Cropping1D`). */
export class Cropping1DLayer extends CroppingBase {
  static override readonly className: string = 'Cropping1D';
  constructor(cropping: PaddingSpec = [1, 1], options: LayerOptions = {}) {
    super(1, cropping, options, false);
  }
  static fromConfig(config: LayerConfig): Cropping1DLayer {
    return new Cropping1DLayer(...croppingArgs(config));
  }
}

/** Removes rows and columns at the edges of images (Keras's `Cropping2D`). */
export class Cropping2DLayer extends CroppingBase {
  static override readonly className: string = 'Cropping2D';
  constructor(cropping: PaddingSpec = 0, options: CroppingOptions = {}) {
    super(2, cropping, options, true);
  }
  static fromConfig(config: LayerConfig): Cropping2DLayer {
    return new Cropping2DLayer(...croppingArgs(config));
  }
}

/** Removes values at the edges of the three spatial dimensions of volumes (Keras's `Cropping3D`). */
export class Cropping3DLayer extends CroppingBase {
  static override readonly className: string = 'Cropping3D';
  constructor(cropping: PaddingSpec = 1, options: CroppingOptions = {}) {
    super(3, cropping, options, true);
  }
  static fromConfig(config: LayerConfig): Cropping3DLayer {
    return new Cropping3DLayer(...croppingArgs(config));
  }
}

/** The type of what `Cropping1D()` returns. */
export type Cropping1D = Cropping1DLayer;
/** The type of what `Cropping2D()` returns. */
export type Cropping2D = Cropping2DLayer;
/** The type of what `Cropping3D()` returns. */
export type Cropping3D = Cropping3DLayer;

/** `Cropping1D([1, 2])`: drops 1 step at the start and 2 at the end. Default `[1, 1]`. */
export function Cropping1D(cropping: PaddingSpec = [1, 1], options: LayerOptions = {}): Cropping1D {
  return new Cropping1DLayer(cropping, options);
}

/** `Cropping2D([[top, bottom], [left, right]])`, `Cropping2D([rows, cols])` or `Cropping2D(n)`. Default 0. */
export function Cropping2D(cropping: PaddingSpec = 0, options: CroppingOptions = {}): Cropping2D {
  return new Cropping2DLayer(cropping, options);
}

/** `Cropping3D(n)`, three integers, or three `[before, after]` pairs (depth, height, width). Default 1. */
export function Cropping3D(cropping: PaddingSpec = 1, options: CroppingOptions = {}): Cropping3D {
  return new Cropping3DLayer(cropping, options);
}
