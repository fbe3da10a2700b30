// The noise layers of Keras's regularization family, active only in training: GaussianNoise
// (additive), GaussianDropout (multiplicative, mean 1) and AlphaDropout (keeps the mean and
// variance of SELU activations).
import { add, cast, greaterEqual, mul, randomNormal, randomUniform, sub, SeedGenerator } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue, formatShape } from './shape';
import { checkNoiseShape, checkRate, checkSeed, checkUnit, noiseMaskShape, rateArgs } from './random-args';

/** Options of the noise layers. */
export interface NoiseOptions extends LayerOptions {
  /** The layer's own random stream: the same seed gives the same sequence of noise. */
  seed?: number | null;
}

/** Options of `AlphaDropout`. */
export interface AlphaDropoutOptions extends NoiseOptions {
  /** Shape of the mask (broadcast over the input); `null` entries take the input's size. */
  noiseShape?: Shape | null;
}

/** Adds zero-mean Gaussian noise of `stddev` while training (Keras's `GaussianNoise`). */
export class GaussianNoiseLayer extends Layer {
  static override readonly className: string = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | null;
  private readonly seeds: SeedGenerator;

  constructor(stddev: number, options: NoiseOptions = {}) {
    const { seed, ...base } = options ?? {};
    super(base, []);
    // Keras accepts a stddev in [0, 1]
    this.stddev = checkUnit(`${this}`, 'stddev', stddev, true);
    this.seed = checkSeed(`${this}`, seed);
    this.seeds = new SeedGenerator(this.seed);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = inputs as Tensor;
    if (!kwargs.training || this.stddev === 0) return x;
    return add(x, randomNormal(x.shape, 0, this.stddev, 'float32', this.seeds.next()));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }

  static fromConfig(config: LayerConfig): GaussianNoiseLayer {
    return new GaussianNoiseLayer(...rateArgs<NoiseOptions>(config, 'stddev'));
  }
}

/** Multiplies by Gaussian noise of mean 1 and variance `rate / (1 - rate)` while training (Keras's `GaussianDropout`). */
export class GaussianDropoutLayer extends Layer {
  static override readonly className: string = 'GaussianDropout';
  readonly rate: number;
  readonly seed: number | null;
  private readonly seeds: SeedGenerator;

  constructor(rate: number, options: NoiseOptions = {}) {
    const { seed, ...base } = options ?? {};
    super(base, []);
    this.rate = checkRate(`${this}`, rate);
    this.seed = checkSeed(`${this}`, seed);
    this.seeds = new SeedGenerator(this.seed);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = inputs as Tensor;
    if (!kwargs.training || this.rate === 0) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return mul(x, randomNormal(x.shape, 1, stddev, 'float32', this.seeds.next()));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }

  static fromConfig(config: LayerConfig): GaussianDropoutLayer {
    return new GaussianDropoutLayer(...rateArgs<NoiseOptions>(config));
  }
}

// SELU's constants (Klambauer et al. 2017), as Keras's AlphaDropout.
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Dropout for self-normalizing networks (Keras's `AlphaDropout`): while training, dropped values
 * are set to SELU's negative saturation and the result is scaled and shifted so the mean and
 * variance of the inputs are kept.
 */
export class AlphaDropoutLayer extends Layer {
  static override readonly className: string = 'AlphaDropout';
  readonly rate: number;
  readonly seed: number | null;
  readonly noiseShape: Shape | null;
  private readonly seeds: SeedGenerator;

  constructor(rate: number, options: AlphaDropoutOptions = {}) {
    const { seed, noiseShape, ...base } = options ?? {};
    super(base, []);
    this.rate = checkRate(`${this}`, rate);
    this.seed = checkSeed(`${this}`, seed);
    this.noiseShape = checkNoiseShape(`${this}`, noiseShape);
    this.seeds = new SeedGenerator(this.seed);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = inputs as Tensor;
    if (!kwargs.training || this.rate === 0) return x;
    const p = this.rate;
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const kept = cast(greaterEqual(randomUniform(noiseMaskShape(`${this}`, this.noiseShape, x.shape), 0, 1, 'float32', this.seeds.next()), p), x.dtype);
    const a = ((1 - p) * (1 + p * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * p;
    // a·(x·kept + α'·(1 − kept)) + b
    const dropped = add(mul(x, kept), mul(sub(1, kept), alphaP));
    return add(mul(dropped, a), b);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }

  static fromConfig(config: LayerConfig): AlphaDropoutLayer {
    return new AlphaDropoutLayer(...rateArgs<AlphaDropoutOptions>(config));
  }
}

/** The type of what `GaussianNoise()` returns. */
export type GaussianNoise = GaussianNoiseLayer;
/** The type of what `GaussianDropout()` returns. */
export type GaussianDropout = GaussianDropoutLayer;
/** The type of what `AlphaDropout()` returns. */
export type AlphaDropout = AlphaDropoutLayer;

/** `GaussianNoise(0.1)`: adds N(0, 0.1²) noise while training; the identity otherwise. */
export function GaussianNoise(stddev: number, options: NoiseOptions = {}): GaussianNoise {
  return new GaussianNoiseLayer(stddev, options);
}

/** `GaussianDropout(0.2)`: multiplies by N(1, 0.2/0.8) noise while training; the identity otherwise. */
export function GaussianDropout(rate: number, options: NoiseOptions = {}): GaussianDropout {
  return new GaussianDropoutLayer(rate, options);
}

/** `AlphaDropout(0.1)`: dropout that keeps SELU's self-normalization, while training only. */
export function AlphaDropout(rate: number, options: AlphaDropoutOptions = {}): AlphaDropout {
  return new AlphaDropoutLayer(rate, options);
}
