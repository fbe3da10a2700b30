// RandomRotation, RandomTranslation and RandomZoom: one random affine transform per image while
// training (Keras's matrices, fill modes and interpolations), the identity in inference.
import { cos, mul, ones, randomUniform, sin, stack, sub, zeros, SeedGenerator } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { LayerConfig } from './layer';
import { ImageLayer, checkFillMode, checkInterpolation, checkSeed, factorRange } from './image-layer';
import { affineTransform } from './affine-transform';
import type { FillMode, RandomImageOptions, Range } from './image-layer';
import { describeValue } from './shape';

/** Options of `RandomRotation`, `RandomTranslation` and `RandomZoom`. */
export interface RandomAffineOptions extends RandomImageOptions {
  /** How points outside the image are filled: `'reflect'` (default), `'wrap'`, `'constant'`, `'nearest'`. */
  fillMode?: FillMode;
  /** `'bilinear'` (default) or `'nearest'`. */
  interpolation?: 'bilinear' | 'nearest';
  /** The value of `'constant'` filling (default 0). */
  fillValue?: number;
}

const AFFINE_KEYS = ['fillMode', 'interpolation', 'fillValue'];

function copyFactor<V extends number | Range | null>(v: V): V {
  return (Array.isArray(v) ? [v[0], v[1]] : v) as V;
}

abstract class RandomAffineBase extends ImageLayer {
  readonly fillMode: FillMode;
  readonly interpolation: 'bilinear' | 'nearest';
  readonly fillValue: number;
  readonly seed: number | null;
  protected readonly seeds: SeedGenerator;

  constructor(options: RandomAffineOptions, extra: string[]) {
    const { seed, ...rest } = options ?? {};
    super(rest, [...AFFINE_KEYS, ...extra]);
    const o = options ?? {};
    this.fillMode = checkFillMode(`${this}`, o.fillMode);
    this.interpolation = checkInterpolation(`${this}`, o.interpolation);
    if (o.fillValue !== undefined && !(typeof o.fillValue === 'number' && Number.isFinite(o.fillValue))) {
      throw new Error(`${this}: fillValue must be a finite number, got ${describeValue(o.fillValue)}`);
    }
    this.fillValue = o.fillValue ?? 0;
    this.seed = checkSeed(`${this}`, seed);
    this.seeds = new SeedGenerator(this.seed);
  }

  /** `[batch, 8]` transforms for a batch of `n` images of `h × w`. */
  protected abstract matrices(n: number, h: number, w: number): Tensor;

  protected transform(x: Tensor, training: boolean): Tensor {
    if (!training) return x;
    const [n, h, w] = x.shape;
    return affineTransform(x, this.matrices(n, h, w), this.interpolation, this.fillMode, this.fillValue);
  }

  /** A uniform draw per image in `[lo, hi)`, `[n]`. */
  protected uniform(n: number, [lo, hi]: Range): Tensor {
    return randomUniform([n], lo, hi, 'float32', this.seeds.next());
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue, seed: this.seed };
  }
}

/**
 * Rotates each image by a random angle while training (Keras's `RandomRotation`): `factor` is a
 * fraction of a full turn, `0.1` giving angles in [-36°, 36°], `[-0.1, 0.2]` in [-36°, 72°];
 * positive angles turn counter-clockwise, about the image centre.
 */
export class RandomRotationLayer extends RandomAffineBase {
  static override readonly className: string = 'RandomRotation';
  readonly factor: Range;

  constructor(factor: number | Range, options: RandomAffineOptions = {}) {
    super(options, []);
    this.factor = factorRange(`${this}`, 'factor', factor, -1, 1);
  }

  protected matrices(n: number, h: number, w: number): Tensor {
    const angle = mul(this.uniform(n, this.factor), 2 * Math.PI);
    const c = cos(angle);
    const s = sin(angle);
    const cx = 0.5 * (w - 1);
    const cy = 0.5 * (h - 1);
    // Keras's _compute_affine_matrix with scale 1 and no shear or translation
    const a2 = sub(sub(cx, mul(c, cx)), mul(s, -cy));
    const b2 = sub(sub(cy, mul(s, cx)), mul(c, cy));
    return stack([c, mul(s, -1), a2, s, c, b2, zeros([n]), zeros([n])], 1);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: [...this.factor] };
  }

  static fromConfig(config: LayerConfig): RandomRotationLayer {
    const { factor, ...rest } = config;
    return new RandomRotationLayer(factor as Range, rest as RandomAffineOptions);
  }
}

/**
 * Shifts each image by a random fraction of its height and width while training (Keras's
 * `RandomTranslation`): `heightFactor` 0.1 moves up or down by at most 10% of the height.
 */
export class RandomTranslationLayer extends RandomAffineBase {
  static override readonly className: string = 'RandomTranslation';
  readonly heightFactor: number | Range;
  readonly widthFactor: number | Range;
  private readonly heightRange: Range;
  private readonly widthRange: Range;

  constructor(heightFactor: number | Range, widthFactor: number | Range, options: RandomAffineOptions = {}) {
    super(options, []);
    this.heightRange = factorRange(`${this}`, 'heightFactor', heightFactor, -1, 1);
    this.widthRange = factorRange(`${this}`, 'widthFactor', widthFactor, -1, 1);
    this.heightFactor = Array.isArray(heightFactor) ? [heightFactor[0], heightFactor[1]] : heightFactor;
    this.widthFactor = Array.isArray(widthFactor) ? [widthFactor[0], widthFactor[1]] : widthFactor;
  }

  protected matrices(n: number, h: number, w: number): Tensor {
    // as Keras: the height draw first, then the width draw
    const ty = mul(this.uniform(n, this.heightRange), h);
    const tx = mul(this.uniform(n, this.widthRange), w);
    return stack([ones([n]), zeros([n]), mul(tx, -1), zeros([n]), ones([n]), mul(ty, -1), zeros([n]), zeros([n])], 1);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), heightFactor: copyFactor(this.heightFactor), widthFactor: copyFactor(this.widthFactor) };
  }

  static fromConfig(config: LayerConfig): RandomTranslationLayer {
    const { heightFactor, widthFactor, ...rest } = config;
    return new RandomTranslationLayer(heightFactor as number | Range, widthFactor as number | Range, rest as RandomAffineOptions);
  }
}

/**
 * Zooms each image in or out by a random factor while training (Keras's `RandomZoom`):
 * `heightFactor` 0.2 draws a zoom in [0.8, 1.2] of the height (values above 1 zoom out, as Keras);
 * the width uses `widthFactor`, or the height's zoom when it is null (aspect ratio kept).
 */
export class RandomZoomLayer extends RandomAffineBase {
  static override readonly className: string = 'RandomZoom';
  readonly heightFactor: number | Range;
  readonly widthFactor: number | Range | null;
  private readonly heightRange: Range;
  private readonly widthRange: Range | null;

  constructor(heightFactor: number | Range, widthFactor: number | Range | null = null, options: RandomAffineOptions = {}) {
    super(options, []);
    this.heightRange = factorRange(`${this}`, 'heightFactor', heightFactor, -1, 1, true);
    this.widthRange = widthFactor === null || widthFactor === undefined ? null : factorRange(`${this}`, 'widthFactor', widthFactor, -1, 1, true);
    this.heightFactor = Array.isArray(heightFactor) ? [heightFactor[0], heightFactor[1]] : heightFactor;
    this.widthFactor = widthFactor === undefined || widthFactor === null ? null : Array.isArray(widthFactor) ? [widthFactor[0], widthFactor[1]] : widthFactor;
  }

  protected matrices(n: number, h: number, w: number): Tensor {
    const zy = this.uniform(n, [1 + this.heightRange[0], 1 + this.heightRange[1]]);
    const zx = this.widthRange ? this.uniform(n, [1 + this.widthRange[0], 1 + this.widthRange[1]]) : zy;
    const ox = mul(sub(1, zx), (w - 1) / 2);
    const oy = mul(sub(1, zy), (h - 1) / 2);
    return stack([zx, zeros([n]), ox, zeros([n]), zy, oy, zeros([n]), zeros([n])], 1);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), heightFactor: copyFactor(this.heightFactor), widthFactor: copyFactor(this.widthFactor) };
  }

  static fromConfig(config: LayerConfig): RandomZoomLayer {
    const { heightFactor, widthFactor, ...rest } = config;
    return new RandomZoomLayer(heightFactor as number | Range, (widthFactor ?? null) as number | Range | null, rest as RandomAffineOptions);
  }
}

/** The type of what `RandomRotation()` returns. */
export type RandomRotation = RandomRotationLayer;
/** The type of what `RandomTranslation()` returns. */
export type RandomTranslation = RandomTranslationLayer;
/** The type of what `RandomZoom()` returns. */
export type RandomZoom = RandomZoomLayer;

/** `RandomRotation(0.1)`: random rotations in [-36°, 36°] while training (fill `'reflect'`, bilinear). */
export function RandomRotation(factor: number | Range, options: RandomAffineOptions = {}): RandomRotation {
  return new RandomRotationLayer(factor, options);
}

/** `RandomTranslation(0.1, 0.1)`: random shifts of up to 10% of the height and width while training. */
export function RandomTranslation(heightFactor: number | Range, widthFactor: number | Range, options: RandomAffineOptions = {}): RandomTranslation {
  return new RandomTranslationLayer(heightFactor, widthFactor, options);
}

/** `RandomZoom(0.2)`: random zooms of ±20% (aspect ratio kept) while training. */
export function RandomZoom(heightFactor: number | Range, widthFactor: number | Range | null = null, options: RandomAffineOptions = {}): RandomZoom {
  return new RandomZoomLayer(heightFactor, widthFactor, options);
}
