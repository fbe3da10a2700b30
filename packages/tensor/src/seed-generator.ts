import { createRng, hasSeed, nextStreamSeed } from './random';
import { state } from './state';

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
  private rng: (() => number) | null = null;
  // the global seed's epoch (setSeed/clearSeed calls) when this stream was derived from it
  private epoch = -1;

  constructor(seed: number | null = null) {
    if (seed !== null && !Number.isInteger(seed)) throw new Error(`SeedGenerator: seed must be an integer or null, got ${String(seed)}`);
    this.seed = seed;
    if (seed !== null) this.rng = createRng(seed);
    else if (hasSeed()) this.derive();
  }

  /** The seed of the next random tensor (an integer in [0, 2³¹)). */
  next(): number {
    if (this.rng === null) this.derive();
    return Math.floor((this.rng as () => number)() * 2 ** 31);
  }

  /**
   * Start again from the global seed when `setSeed` (or `clearSeed`) was called since this stream
   * was derived from it, so `setSeed(n)` just before a `fit` repeats its shuffles as before. A
   * stream with a seed of its own is left as it is. `fit` calls it when it starts.
   */
  refresh(): void {
    if (this.seed === null && this.epoch !== state().seedEpoch) this.derive();
  }

  private derive(): void {
    this.rng = createRng(nextStreamSeed());
    this.epoch = state().seedEpoch;
  }
}
