import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, DataType } from '@tensorflow/tfjs-core';
import { state } from './state';

/** A deterministic generator of floats in [0, 1) (mulberry32): `const r = createRng(42); r()` */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Make every later unseeded initializer, shuffle and dropout reproducible, as `keras.utils.set_random_seed`. */
export function setSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new Error(`setSeed expects a finite number, got ${seed}`);
  const s = state();
  s.seedState = Math.floor(seed) >>> 0;
  // a second sequence, for the streams of models and random layers (as Keras 3, whose
  // SeedGenerators take their seeds apart from the initializers' global generator)
  s.streamState = (s.seedState ^ STREAM_SALT) >>> 0;
  s.seedEpoch++;
}

const STREAM_SALT = 0x5bd1e995;

/** Forget the global seed: later random calls are unseeded again. */
export function clearSeed(): void {
  const s = state();
  s.seedState = null;
  s.streamState = null;
  s.seedEpoch++;
}

/** The next seed from the global sequence (random when `setSeed` was never called). */
export function nextSeed(): number {
  const s = state();
  if (s.seedState === null) return Math.floor(Math.random() * 2 ** 31);
  s.seedState = (s.seedState + 0x9e3779b9) >>> 0;
  return mix32(s.seedState);
}

/**
 * The seed of a new random stream (`SeedGenerator`), from a sequence of its own that `setSeed`
 * starts, so creating a stream does not move the seeds initializers draw (random when no seed is
 * set).
 */
export function nextStreamSeed(): number {
  const s = state();
  if (s.streamState === null) return Math.floor(Math.random() * 2 ** 31);
  s.streamState = (s.streamState + 0x9e3779b9) >>> 0;
  return mix32(s.streamState);
}

/** True while a global seed is set (`setSeed` called, `clearSeed` not since). */
export function hasSeed(): boolean {
  return state().seedState !== null;
}

// splitmix32's output step: successive states give well mixed seeds even from small seeds
function mix32(counter: number): number {
  let z = counter;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Normal samples; `seed` defaults to the global sequence. */
export function randomNormal(shape: number[], mean = 0, stddev = 1, dtype: 'float32' = 'float32', seed?: number): Tensor {
  return tfc.randomNormal(shape, mean, stddev, dtype, seed ?? nextSeed());
}

/** Uniform samples in [minval, maxval); `seed` defaults to the global sequence. */
export function randomUniform(shape: number[], minval = 0, maxval = 1, dtype: DataType = 'float32', seed?: number): Tensor {
  return tfc.randomUniform(shape, minval, maxval, dtype, seed ?? nextSeed());
}

/** Normal samples redrawn until within 2 stddev of the mean; `seed` defaults to the global sequence. */
export function truncatedNormal(shape: number[], mean = 0, stddev = 1, dtype: 'float32' = 'float32', seed?: number): Tensor {
  return tfc.truncatedNormal(shape, mean, stddev, dtype, seed ?? nextSeed());
}

/** A random permutation of 0..n-1 (Fisher–Yates); `seed` defaults to the global sequence. */
export function shuffledIndices(n: number, seed?: number): Int32Array {
  const rng = createRng(seed ?? nextSeed());
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}
