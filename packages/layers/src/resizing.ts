import { pad, slice } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { LayerConfig } from './layer';
import { ImageLayer } from './image-layer';
import type { ImageLayerOptions } from './image-layer';
import { resizeImages } from './image-resize';
import type { Interpolation } from './image-resize';
import { describeValue } from './shape';

/** Options of `Resizing`. */
export interface ResizingOptions extends ImageLayerOptions {
  /** `'bilinear'` (default) or `'nearest'`. */
  interpolation?: Interpolation;
  /** Crop the largest centred window of the target aspect ratio first, so nothing is distorted. */
  cropToAspectRatio?: boolean;
  /** Pad to the target aspect ratio first (with `fillValue`), so nothing is distorted. */
  padToAspectRatio?: boolean;
  /** Only `'constant'` (what padding uses), as Keras. */
  fillMode?: 'constant';
  /** The value padding uses (default 0). */
  fillValue?: number;
  /** Only false: resizing without an antialiasing filter, as Keras's default. */
  antialias?: boolean;
}

/** Checks a target size. */
export function checkSize(where: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new Error(`${where}: ${what} must be a positive integer, got ${describeValue(v)}`);
  return v;
}

/**
 * The largest centred window of `x` (`[b, h, w, c]`) with the aspect ratio of `height × width`
 * (Keras's `smart_resize` and `crop_to_aspect_ratio` box).
 */
export function cropToAspect(x: Tensor, height: number, width: number): Tensor {
  const [b, h, w, c] = x.shape;
  const ch = Math.max(Math.min(h, Math.trunc((w * height) / width)), 1);
  const cw = Math.max(Math.min(w, Math.trunc((h * width) / height)), 1);
  if (ch === h && cw === w) return x;
  return slice(x, [0, Math.trunc((h - ch) / 2), Math.trunc((w - cw) / 2), 0], [b, ch, cw, c]);
}

/** `x` padded (with `value`) to the aspect ratio of `height × width`, as Keras's `pad_to_aspect_ratio`. */
function padToAspect(x: Tensor, height: number, width: number, value: number): Tensor {
  const [, h, w] = x.shape;
  const ph = Math.max(h, Math.trunc((w * height) / width));
  const pw = Math.max(w, Math.trunc((h * width) / height));
  const top = Math.trunc((ph - h) / 2);
  const left = Math.trunc((pw - w) / 2);
  // Keras pads one axis, by the same amount on both sides
  if (top > 0) return pad(x, [[0, 0], [top, top], [0, 0], [0, 0]], value);
  if (left > 0) return pad(x, [[0, 0], [0, 0], [left, left], [0, 0]], value);
  return x;
}

/**
 * Resizes images to `height × width` (Keras's `Resizing`), in training and inference alike, as
 * TensorFlow's resize (half-pixel centres, no antialiasing); optionally cropping or padding to the
 * target aspect ratio first.
 */
export class ResizingLayer extends ImageLayer {
  static override readonly className: string = 'Resizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: Interpolation;
  readonly cropToAspectRatio: boolean;
  readonly padToAspectRatio: boolean;
  readonly fillValue: number;

  constructor(height: number, width: number, options: ResizingOptions = {}) {
    const { interpolation, cropToAspectRatio, padToAspectRatio, fillMode, fillValue, antialias, ...base } = options ?? {};
    super(base, []);
    this.height = checkSize(`${this}`, 'height', height);
    this.width = checkSize(`${this}`, 'width', width);
    if (interpolation !== undefined && interpolation !== 'bilinear' && interpolation !== 'nearest') {
      throw new Error(`${this}: interpolation must be 'bilinear' or 'nearest' (neurona has no bicubic, lanczos or area resizing), got ${describeValue(interpolation)}`);
    }
    this.interpolation = interpolation ?? 'bilinear';
    for (const [k, v] of Object.entries({ cropToAspectRatio, padToAspectRatio })) {
      if (v !== undefined && typeof v !== 'boolean') throw new Error(`${this}: ${k} must be a boolean, got ${describeValue(v)}`);
    }
    this.cropToAspectRatio = cropToAspectRatio ?? false;
    this.padToAspectRatio = padToAspectRatio ?? false;
    if (this.cropToAspectRatio && this.padToAspectRatio) throw new Error(`${this}: only one of cropToAspectRatio and padToAspectRatio can be true`);
    if (fillMode !== undefined && fillMode !== 'constant') throw new Error(`${this}: fillMode must be 'constant' (the only mode Keras's Resizing has), got ${describeValue(fillMode)}`);
    if (fillValue !== undefined && !(typeof fillValue === 'number' && Number.isFinite(fillValue))) {
      throw new Error(`${this}: fillValue must be a finite number, got ${describeValue(fillValue)}`);
    }
    this.fillValue = fillValue ?? 0;
    if (antialias !== undefined && antialias !== false) throw new Error(`${this}: antialias must be false (neurona resizes without an antialiasing filter), got ${describeValue(antialias)}`);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = [...(inputShape as Shape)];
    const [hAx, wAx] = this.hwAxes(s.length);
    s[hAx] = this.height;
    s[wAx] = this.width;
    return s;
  }

  protected transform(x: Tensor): Tensor {
    let y = x;
    if (this.cropToAspectRatio) y = cropToAspect(y, this.height, this.width);
    else if (this.padToAspectRatio) y = padToAspect(y, this.height, this.width, this.fillValue);
    return resizeImages(y, this.height, this.width, this.interpolation);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio,
      padToAspectRatio: this.padToAspectRatio,
      fillMode: 'constant',
      fillValue: this.fillValue,
      antialias: false,
    };
  }

  static fromConfig(config: LayerConfig): ResizingLayer {
    const { height, width, ...rest } = config;
    return new ResizingLayer(height as number, width as number, rest as ResizingOptions);
  }
}

/** The type of what `Resizing()` returns. */
export type Resizing = ResizingLayer;

/** `Resizing(64, 64)`: images resized to 64 × 64 (bilinear, as Keras's `Resizing`). */
export function Resizing(height: number, width: number, options: ResizingOptions = {}): Resizing {
  return new ResizingLayer(height, width, options);
}
