import { add, clipByValue, mean, mul, randomUniform, sub, SeedGenerator } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { LayerConfig } from './layer';
import { ImageLayer, checkSeed } from './image-layer';
import type { RandomImageOptions, Range } from './image-layer';
import { describeValue } from './shape';

/** Options of `RandomContrast`. */
export interface RandomContrastOptions extends RandomImageOptions {
  /** The range of the pixel values, `[low, high]` (default `[0, 255]`); outputs are clipped to it. */
  valueRange?: Range;
}

function inUnit(v: unknown): v is number {
  return typeof v === 'number' && v >= 0 && v <= 1;
}

/**
 * While training, scales each image's contrast by a random factor (Keras's `RandomContrast`):
 * `(x − mean) · c + mean`, with the mean over the image's height and width per channel and `c`
 * drawn per image in `[1 − lower, 1 + upper]` (`factor` is one number for both, or
 * `[lower, upper]`, each in [0, 1]); the result is clipped to `valueRange`. The identity in
 * inference.
 */
export class RandomContrastLayer extends ImageLayer {
  static override readonly className: string = 'RandomContrast';
  readonly factor: Range;
  readonly valueRange: Range;
  readonly seed: number | null;
  private readonly seeds: SeedGenerator;

  constructor(factor: number | Range, options: RandomContrastOptions = {}) {
    const { seed, valueRange, ...base } = options ?? {};
    super(base, []);
    if (inUnit(factor)) this.factor = [factor, factor];
    else if (Array.isArray(factor) && factor.length === 2 && factor.every(inUnit)) this.factor = [factor[0], factor[1]];
    else throw new Error(`${this}: factor must be a number in [0, 1] or a pair [lower, upper] of them, got ${describeValue(factor)}`);
    const vr = valueRange ?? [0, 255];
    if (!(Array.isArray(vr) && vr.length === 2 && vr.every((v) => typeof v === 'number' && Number.isFinite(v)) && vr[0] < vr[1])) {
      throw new Error(`${this}: valueRange must be [low, high] with low < high, got ${describeValue(valueRange)}`);
    }
    this.valueRange = [vr[0], vr[1]];
    this.seed = checkSeed(`${this}`, seed);
    this.seeds = new SeedGenerator(this.seed);
  }

  protected transform(x: Tensor, training: boolean): Tensor {
    if (!training) return x;
    const c = randomUniform([x.shape[0], 1, 1, 1], 1 - this.factor[0], 1 + this.factor[1], 'float32', this.seeds.next());
    const m = mean(x, [1, 2], true);
    return clipByValue(add(mul(sub(x, m), c), m), this.valueRange[0], this.valueRange[1]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], seed: this.seed };
  }

  static fromConfig(config: LayerConfig): RandomContrastLayer {
    const { factor, ...rest } = config;
    return new RandomContrastLayer(factor as Range, rest as RandomContrastOptions);
  }
}

/** The type of what `RandomContrast()` returns. */
export type RandomContrast = RandomContrastLayer;

/** `RandomContrast(0.2)`: contrast scaled by a factor in [0.8, 1.2] per image while training. */
export function RandomContrast(factor: number | Range, options: RandomContrastOptions = {}): RandomContrast {
  return new RandomContrastLayer(factor, options);
}
