import { describeData, checkOptionTypes } from '@neurona/common';
// shuffle: tf.data's buffered shuffle over a dataset of elements.
import { nextSeed } from '@neurona/tensor';
import { disposeAll } from '../element';
import { ShuffleBuffer, passSeed } from './shuffle-buffer';

/** Options of `shuffle`. */
export interface ShuffleOptions {
  /** Same seed, same order. Default: the next seed of `@neurona/tensor`'s global sequence (`setSeed`). */
  seed?: number;
  /** A new order on every pass (default `true`, as tf.data); `false` repeats the first pass's order. */
  reshuffleEachIteration?: boolean;
}

/** The checked buffer size and a function giving the seed of each new pass. */
export function shufflePlan(bufferSize: unknown, options: ShuffleOptions = {}): { bufferSize: number; nextPassSeed: () => number } {
  if (typeof bufferSize !== 'number' || !Number.isInteger(bufferSize) || bufferSize < 1) {
    throw new Error(`shuffle: bufferSize must be an integer >= 1, got ${describeData(bufferSize)}`);
  }
  checkOptionTypes('shuffle', options, { seed: 'number', reshuffleEachIteration: 'boolean' });
  if (options.seed !== undefined && !Number.isFinite(options.seed)) throw new Error(`shuffle: seed must be a finite number, got ${describeData(options.seed)}`);
  const seed = options.seed === undefined ? nextSeed() : Math.floor(options.seed) >>> 0;
  const reshuffle = options.reshuffleEachIteration ?? true;
  let pass = 0;
  return { bufferSize, nextPassSeed: () => passSeed(seed, reshuffle ? pass++ : 0) };
}

/** The elements of `source` in a buffered random order; the buffer is released on early exit. */
export async function* shuffleElements<T>(source: AsyncIterable<T>, bufferSize: number, seed: number): AsyncGenerator<T> {
  const buffer = new ShuffleBuffer<T>(bufferSize, seed);
  try {
    for await (const e of source) {
      buffer.add(e);
      if (buffer.full) yield buffer.take();
    }
    while (buffer.size > 0) yield buffer.take();
  } finally {
    disposeAll(buffer.drain());
  }
}
