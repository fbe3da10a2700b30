// The base of Keras's image preprocessing layers: batches `[batch, height, width, channels]` (or a
// single image `[height, width, channels]`), channels last or first, and the checks of their
// `factor` options. Subclasses transform channels-last batches.
import { expandDims, squeeze, transpose } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue, formatShape } from './shape';
import { checkDataFormat } from './spatial-args';
import type { DataFormat } from './spatial-args';

/** Options every image layer takes. */
export interface ImageLayerOptions extends LayerOptions {
  /** `'channels_last'` (default, `[batch, height, width, channels]`) or `'channels_first'`. */
  dataFormat?: DataFormat | null;
}

/** Options of the random image layers. */
export interface RandomImageOptions extends ImageLayerOptions {
  /** The layer's own random stream: the same seed gives the same sequence of augmentations. */
  seed?: number | null;
}

import type { FillMode } from './affine-transform';

export type { FillMode } from './affine-transform';

/** A lower and upper bound. */
export type Range = [number, number];

/** The base of the image preprocessing layers (see the file comment). */
export abstract class ImageLayer extends Layer {
  readonly dataFormat: DataFormat;

  constructor(options: ImageLayerOptions, extraKeys: readonly string[]) {
    const { dataFormat, ...base } = options ?? {};
    super(base, extraKeys);
    this.dataFormat = checkDataFormat(`${this}`, dataFormat);
  }

  /** Height and width axes of an input of rank `rank` (3: one image, 4: a batch). */
  protected hwAxes(rank: number): [number, number] {
    const first = (rank === 4 ? 1 : 0) + (this.dataFormat === 'channels_first' ? 1 : 0);
    return [first, first + 1];
  }

  protected override assertInputCompatible(shapes: Shape[]): void {
    const s = shapes[0];
    if (s.length !== 4 && s.length !== 3) {
      const layout = this.dataFormat === 'channels_last' ? 'height, width, channels' : 'channels, height, width';
      throw new Error(`${this} expects input [null, ${layout}] (or one image [${layout}]), got ${formatShape(s)}`);
    }
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = inputs as Tensor;
    const batched = x.rank === 4 ? x : expandDims(x, 0);
    const nhwc = this.dataFormat === 'channels_first' ? transpose(batched, [0, 2, 3, 1]) : batched;
    const y = this.transform(nhwc, kwargs.training ?? false);
    if (y === nhwc) return x;
    const back = this.dataFormat === 'channels_first' ? transpose(y, [0, 3, 1, 2]) : y;
    return x.rank === 4 ? back : squeeze(back, [0]);
  }

  /** The layer's work on a channels-last batch; return the input itself to leave it unchanged. */
  protected abstract transform(x: Tensor, training: boolean): Tensor;

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

/**
 * Keras's factor forms for a random range, within `[min, max]`: a number `f` (the range
 * `[-|f|, |f|]`, its lower end clipped to `min`) or a pair `[lo, hi]`.
 */
export function factorRange(where: string, what: string, value: unknown, min: number, max: number, minOpen = false): Range {
  const inBounds = (v: number): boolean => (minOpen ? v > min : v >= min) && v <= max;
  const bounds = `${minOpen ? '(' : '['}${min}, ${max}]`;
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (!inBounds(value)) throw new Error(`${where}: ${what} must be a number in ${bounds} or a pair of them, got ${describeValue(value)}`);
    const f = Math.abs(value);
    return [Math.max(-f, min), f];
  }
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v) && inBounds(v))) {
    const [a, b] = value as number[];
    return [Math.min(a, b), Math.max(a, b)];
  }
  throw new Error(`${where}: ${what} must be a number in ${bounds} or a pair of them, got ${describeValue(value)}`);
}

/** Checks Keras's `fill_mode`. */
export function checkFillMode(where: string, v: unknown): FillMode {
  if (v === undefined || v === null) return 'reflect';
  if (v !== 'reflect' && v !== 'wrap' && v !== 'constant' && v !== 'nearest') {
    throw new Error(`${where}: fillMode must be 'reflect', 'wrap', 'constant' or 'nearest', got ${describeValue(v)}`);
  }
  return v;
}

/** Checks an `interpolation` of the affine layers. */
export function checkInterpolation(where: string, v: unknown): 'bilinear' | 'nearest' {
  if (v === undefined || v === null) return 'bilinear';
  if (v !== 'bilinear' && v !== 'nearest') throw new Error(`${where}: interpolation must be 'bilinear' or 'nearest', got ${describeValue(v)}`);
  return v;
}

/** Checks a seed option. */
export function checkSeed(where: string, seed: unknown): number | null {
  if (seed !== undefined && seed !== null && !Number.isInteger(seed)) {
    throw new Error(`${where}: seed must be an integer or null, got ${describeValue(seed)}`);
  }
  return (seed as number | null | undefined) ?? null;
}
