import { tensor2d, tensor3d } from '@neurona/tensor';
import { resolveLimit } from './options';
import type { MnistArrays, MnistData } from './types';

/** Options of `mnistFromArrays` and `mnistFromBinary`. */
export interface FromArraysOptions {
  /** Take at most the first `limit` digits. */
  limit?: number;
  /** Image size; default 28 × 28. */
  rows?: number;
  cols?: number;
}

const NUM_CLASSES = 10;
// byte → byte / 255 as float32, once, instead of a division per pixel
const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/** Pixels 0..255 as float32 in [0, 1] (the first `n` bytes of `bytes`). */
export function bytesToUnit(bytes: Uint8Array | Uint8ClampedArray, n = bytes.length): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = BYTE_TO_UNIT[bytes[i]];
  return out;
}

/** Check that every label is an integer class 0..9; `name` says whose labels they are. */
export function checkLabels(labels: ArrayLike<number>, n: number, name: string): void {
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!(Number.isInteger(v) && v >= 0 && v < NUM_CLASSES)) {
      throw new Error(`${name}: label ${i} is ${v}; expected an integer class 0..${NUM_CLASSES - 1}`);
    }
  }
}

/**
 * Tensors from pixels already scaled to [0, 1] and labels already checked. `copy` keeps the
 * caller's array its own (a backend may hold on to the array it is given). `y` is one-hot, built
 * directly rather than by a oneHot kernel.
 */
export function unitPixelsToTensors(pixels: Float32Array, labels: ArrayLike<number>, n: number, rows: number, cols: number, copy = true): MnistData {
  const size = n * rows * cols;
  const x = copy || pixels.length !== size ? pixels.slice(0, size) : pixels;
  const y = new Float32Array(n * NUM_CLASSES);
  for (let i = 0; i < n; i++) y[i * NUM_CLASSES + labels[i]] = 1;
  return { x: tensor3d(x, [n, rows, cols], 'float32'), y: tensor2d(y, [n, NUM_CLASSES], 'float32') };
}

/**
 * Build MNIST tensors from raw arrays that are already in memory (e.g. fetched in a browser):
 * `images` holds `count × rows × cols` pixels, either bytes 0..255 (`Uint8Array`, divided by 255)
 * or floats already in [0, 1] (`Float32Array`); `labels` holds classes 0..9.
 * Returns `{ x: [n, rows, cols] float32, y: [n, 10] one-hot float32 }`.
 */
export function mnistFromArrays(
  images: Uint8Array | Uint8ClampedArray | Float32Array,
  labels: ArrayLike<number>,
  options: FromArraysOptions = {},
): MnistData {
  const rows = options.rows ?? 28;
  const cols = options.cols ?? 28;
  const count = labels.length;
  if (count === 0) throw new Error('mnistFromArrays: expected at least one label, got an empty labels array');
  if (images.length !== count * rows * cols) {
    throw new Error(
      `mnistFromArrays: expected images.length = ${count} labels × ${rows} × ${cols} = ${count * rows * cols}, got ${images.length}`,
    );
  }
  const n = resolveLimit(options.limit, count, 'mnistFromArrays');
  checkLabels(labels, n, 'mnistFromArrays');
  const size = n * rows * cols;
  if (images instanceof Float32Array) {
    for (let i = 0; i < size; i++) {
      const v = images[i];
      if (!(v >= 0 && v <= 1)) {
        throw new Error(`mnistFromArrays: pixel ${i} is ${v}; Float32Array images must hold values in [0, 1] (pass a Uint8Array for bytes 0..255)`);
      }
    }
    return unitPixelsToTensors(images, labels, n, rows, cols);
  }
  return unitPixelsToTensors(bytesToUnit(images, size), labels, n, rows, cols, false);
}

/** Tensors from MNIST arrays (bytes), e.g. what `decodeMnistBinary` or the IDX reader returns. */
export function mnistArraysToTensors(arrays: MnistArrays, limit: number | undefined, who: string): MnistData {
  const n = resolveLimit(limit, arrays.count, who);
  checkLabels(arrays.labels, n, who);
  return unitPixelsToTensors(bytesToUnit(arrays.images, n * arrays.rows * arrays.cols), arrays.labels, n, arrays.rows, arrays.cols, false);
}
