// The base of the spatial layers that keep the rank of their input (padding, cropping,
// up-sampling, spatial dropout): `dims` spatial axes beside batch and channels, a data format,
// and the rank check with the named layout in its message.
import type { Shape } from '@neurona/tensor';
import type { LayerOptions } from './layer';
import { Layer } from './layer';
import { checkDataFormat, checkSpatialRank, spatialAxes } from './spatial-args';
import type { DataFormat } from './spatial-args';

/** A layer over `dims` spatial axes in either data format (input rank `dims + 2`). */
export abstract class SpatialLayer extends Layer {
  readonly dataFormat: DataFormat;
  /** Number of spatial axes: 1, 2 or 3. */
  protected readonly dims: number;

  constructor(dims: number, dataFormat: unknown, options: LayerOptions, keys: readonly string[]) {
    super(options, [...keys]);
    this.dims = dims;
    this.dataFormat = checkDataFormat(`${this}`, dataFormat);
  }

  protected override assertInputCompatible(shapes: Shape[]): void {
    checkSpatialRank(this, this.dims, this.dataFormat, shapes[0]);
  }

  override build(inputShape: Shape | Shape[]): void {
    void inputShape;
    this.inputSpec = [{ ndim: this.dims + 2 }];
    this.built = true;
  }

  /** The input shape with each known spatial size `d` (the `i`-th, at axis `ax`) replaced by `f(d, i, ax)`. */
  protected mapSpatialSizes(inputShape: Shape | Shape[], f: (d: number, i: number, ax: number) => number): Shape {
    const s = [...(inputShape as Shape)];
    spatialAxes(this.dims + 2, this.dataFormat).forEach((ax, i) => {
      const d = s[ax];
      if (d !== null && d !== undefined) s[ax] = f(d, i, ax);
    });
    return s;
  }
}
