import { lessEqual, randomUniform, reverse, where, SeedGenerator } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { LayerConfig } from './layer';
import { ImageLayer, checkSeed } from './image-layer';
import type { RandomImageOptions } from './image-layer';
import { describeValue } from './shape';

/** Which flips `RandomFlip` makes. */
export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

/**
 * While training, flips each image with probability 1/2 (Keras's `RandomFlip`): left-right
 * (`'horizontal'`), top-bottom (`'vertical'`), or both at once (`'horizontal_and_vertical'`,
 * the default: one draw per image decides both, as Keras). The identity in inference.
 */
export class RandomFlipLayer extends ImageLayer {
  static override readonly className: string = 'RandomFlip';
  readonly mode: FlipMode;
  readonly seed: number | null;
  private readonly seeds: SeedGenerator;

  constructor(mode: FlipMode = 'horizontal_and_vertical', options: RandomImageOptions = {}) {
    const { seed, ...base } = options ?? {};
    super(base, []);
    if (mode !== 'horizontal' && mode !== 'vertical' && mode !== 'horizontal_and_vertical') {
      throw new Error(`${this}: mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical', got ${describeValue(mode)}`);
    }
    this.mode = mode;
    this.seed = checkSeed(`${this}`, seed);
    this.seeds = new SeedGenerator(this.seed);
  }

  protected transform(x: Tensor, training: boolean): Tensor {
    if (!training) return x;
    const flips = lessEqual(randomUniform([x.shape[0], 1, 1, 1], 0, 1, 'float32', this.seeds.next()), 0.5);
    let y = x;
    if (this.mode !== 'vertical') y = where(flips, reverse(y, 2), y);
    if (this.mode !== 'horizontal') y = where(flips, reverse(y, 1), y);
    return y;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), mode: this.mode, seed: this.seed };
  }

  static fromConfig(config: LayerConfig): RandomFlipLayer {
    const { mode, ...rest } = config;
    return new RandomFlipLayer(mode as FlipMode, rest as RandomImageOptions);
  }
}

/** The type of what `RandomFlip()` returns. */
export type RandomFlip = RandomFlipLayer;

/** `RandomFlip('horizontal', { seed: 1 })`: random left-right flips while training. */
export function RandomFlip(mode: FlipMode = 'horizontal_and_vertical', options: RandomImageOptions = {}): RandomFlip {
  return new RandomFlipLayer(mode, options);
}
