import { createRng, hasSeed, nextStreamSeed } from './random';

/**
 * A random stream of its own, as Keras 3's `keras.random.SeedGenerator`: each model (its shuffles)
 * and each random layer (its masks, noise, augmentations) holds one, so models trained at the same
 * time (`Promise.all` of two `fit`s) draw exactly what each draws when trained alone.
 *
 * - `new SeedGenerator(7)`: the stream of seed 7 (the same seed gives the same sequence).
 * - `new SeedGenerator()`: seeded from the global seed when it is created (`setSeed(n)` before
 *   creating models and layers makes them reproducible); when no global seed is set then, it is
 *   seeded at its first draw (from the global seed if one is set by then, else at random).
 *
 * Streams take their seeds from a sequence of their own that `setSeed` starts, apart from the one
 * initializers draw from, so adding a `Dropout` does not change the initial weights of other layers.
 *
 * ```ts
 * const g = new SeedGenerator(7);
 * randomUniform([2], 0, 1, 'float32', g.next());
 * ```
 */
export class SeedGenerator {
  /** The seed given at construction, or null (derived from the global seed). */
  readonly seed: number | null;
  private rng: (() => number) | null;

  constructor(seed: number | null = null) {
    if (seed !== null && !Number.isInteger(seed)) throw new Error(`SeedGenerator: seed must be an integer or null, got ${String(seed)}`);
    this.seed = seed;
    this.rng = seed !== null ? createRng(seed) : hasSeed() ? createRng(nextStreamSeed()) : null;
  }

  /** The seed of the next random tensor (an integer in [0, 2³¹)). */
  next(): number {
    this.rng ??= createRng(nextStreamSeed());
    return Math.floor(this.rng() * 2 ** 31);
  }
}
