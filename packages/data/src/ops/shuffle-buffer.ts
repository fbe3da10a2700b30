// The shuffle buffer of tf.data, shared by datasets of elements and the index streams of
// in-memory sources, so both give the same order for the same seed.
import { createRng } from '@neurona/tensor';

/** A buffer of up to `capacity` items from which a seeded random item is taken out. */
export class ShuffleBuffer<T> {
  private readonly items: T[] = [];
  private readonly rng: () => number;

  constructor(
    private readonly capacity: number,
    seed: number,
  ) {
    this.rng = createRng(seed);
  }

  get size(): number {
    return this.items.length;
  }

  get full(): boolean {
    return this.items.length >= this.capacity;
  }

  add(item: T): void {
    this.items.push(item);
  }

  /** Remove and return a uniformly drawn item (the last item fills its place). */
  take(): T {
    const i = Math.floor(this.rng() * this.items.length);
    const item = this.items[i];
    const last = this.items.pop() as T;
    if (i < this.items.length) this.items[i] = last;
    return item;
  }

  /** Remove and return every item left (to release them). */
  drain(): T[] {
    return this.items.splice(0);
  }
}

/** The seed of pass `pass` of a shuffle seeded `seed`: pass 0 uses the seed itself. */
export function passSeed(seed: number, pass: number): number {
  if (pass === 0) return seed >>> 0;
  // splitmix32 of (seed, pass): well-mixed, reproducible seeds for later passes
  let z = (seed + Math.imul(pass, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
