import { dropoutMask, mul, SeedGenerator, tensor } from '@neurona/tensor';
import type { Shape, Tensor, Words2 } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { checkNoiseShape, checkRate, checkSeed, noiseMaskShape, rateArgs } from './random-args';

/** Options of `Dropout`. */
export interface DropoutOptions extends LayerOptions {
  /** The seed of the layer's own stream of masks (the same seed gives the same masks); without it the stream is derived from the global seed (`setSeed`). */
  seed?: number | null;
  /** Shape of the mask (broadcast over the input); `null` entries take the input's size. */
  noiseShape?: Shape | null;
}

/**
 * Inverted dropout: while training, each value is zeroed with probability `rate` and the rest are
 * scaled by `1 / (1 - rate)`, so the expected output equals the input; at inference it is the identity.
 *
 * Each training call draws a Threefry-2x32-20 key (two words) from the layer's stream and takes
 * its mask from `dropoutMask(key, rate, size)` (`@neurona/tensor`): a counter-based generator, so
 * the compiled training step writes the very same mask straight into its memory.
 */
export class DropoutLayer extends Layer {
  static override readonly className: string = 'Dropout';
  /** Passes the mask of its input on, as Keras. */
  override supportsMasking = true;
  readonly rate: number;
  readonly seed: number | null;
  readonly noiseShape: Shape | null;
  private readonly seeds: SeedGenerator;

  constructor(rate: number, options: DropoutOptions = {}) {
    const { seed, noiseShape, ...base } = options ?? {};
    super(base, []);
    this.rate = checkRate(`${this}`, rate);
    this.seed = checkSeed(`${this}`, seed);
    this.noiseShape = checkNoiseShape(`${this}`, noiseShape);
    // its own stream (a fresh mask per call, as Keras): from `seed`, else derived from the global seed
    this.seeds = new SeedGenerator(this.seed);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = inputs as Tensor;
    if (!kwargs.training || this.rate === 0) return x;
    const maskShape = noiseMaskShape(`${this}`, this.noiseShape, x.shape);
    const size = maskShape.reduce((a, b) => a * b, 1);
    return mul(x, tensor(dropoutMask(this.nextMaskKey(), this.rate, size), maskShape));
  }

  /**
   * The key of the next mask, advancing the layer's stream as a training call does: the compiled
   * training step draws each step's mask with it (`dropoutMask(key, rate, size)`, element e of the
   * mask flattened row-major), so it and the tape path draw the same masks.
   */
  nextMaskKey(): Words2 {
    return [this.seeds.next(), this.seeds.next()];
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noiseShape: this.noiseShape };
  }

  static fromConfig(config: LayerConfig): DropoutLayer {
    return new DropoutLayer(...rateArgs<DropoutOptions>(config));
  }
}

/** The type of what `Dropout()` returns. */
export type Dropout = DropoutLayer;

/** `Dropout(0.5, { seed: 1 })`: active only when called with `{ training: true }` (fit does). */
export function Dropout(rate: number, options: DropoutOptions = {}): Dropout {
  return new DropoutLayer(rate, options);
}
