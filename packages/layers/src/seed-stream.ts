import { createRng, nextSeed } from '@neurona/tensor';

/**
 * Where a random layer draws the seed of each call's random tensor, as Keras's `SeedGenerator`:
 * a layer given a `seed` has its own stream (the same seed gives the same sequence of masks or
 * augmentations), a layer without one draws from the global sequence (`setSeed` makes it
 * reproducible).
 */
export class SeedStream {
  private readonly rng: (() => number) | null;

  constructor(seed: number | null) {
    this.rng = seed === null ? null : createRng(seed);
  }

  /** The seed for the next random tensor. */
  next(): number {
    return this.rng ? Math.floor(this.rng() * 2 ** 31) : nextSeed();
  }
}
