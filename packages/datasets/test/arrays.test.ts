import { describe, expect, it } from 'vitest';
import { memory } from '@neurona/tensor';
import { decodeMnistBinary, encodeMnistBinary, mnistFromArrays, mnistFromBinary } from '../src';

const arrays = (count: number, rows = 28, cols = 28) => ({
  images: Uint8Array.from({ length: count * rows * cols }, (_, i) => i % 256),
  labels: Uint8Array.from({ length: count }, (_, i) => (i * 3) % 10),
  count,
  rows,
  cols,
});

describe('the compact binary format', () => {
  it('round-trips images, labels and sizes', () => {
    const a = arrays(3, 4, 5);
    const bytes = encodeMnistBinary(a);
    expect(bytes.length).toBe(16 + 3 + 60);
    expect(Array.from(bytes.subarray(0, 12))).toEqual([0x4e, 0x52, 0x4d, 0x4e, 1, 4, 5, 0, 0, 0, 0, 3]);
    const b = decodeMnistBinary(bytes.buffer as ArrayBuffer);
    expect(b).toEqual(a);
    // works on a view with an offset too (Node Buffers from the pool)
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 8);
    expect(decodeMnistBinary(padded.subarray(8))).toEqual(a);
  });

  it('rejects a wrong magic, a wrong version and a truncated file', () => {
    const bytes = encodeMnistBinary(arrays(2));
    expect(() => decodeMnistBinary(new Uint8Array(5))).toThrow('MNIST binary is truncated: expected a 16-byte header, found 5 bytes');
    const wrong = bytes.slice();
    wrong[0] = 0x1f;
    expect(() => decodeMnistBinary(wrong, 'digits.bin')).toThrow('digits.bin: expected magic "NRMN" (4e 52 4d 4e), found 1f 52 4d 4e; is it a neurona MNIST binary?');
    const v2 = bytes.slice();
    v2[4] = 2;
    expect(() => decodeMnistBinary(v2)).toThrow('MNIST binary: expected format version 1, found 2');
    expect(() => decodeMnistBinary(bytes.subarray(0, 1000))).toThrow(
      'MNIST binary: the header declares 2 images of 28 × 28 (1586 bytes in all), found 1000 bytes (truncated)',
    );
  });

  it('mnistFromBinary builds x in [0, 1] and one-hot y', () => {
    const { x, y } = mnistFromBinary(encodeMnistBinary(arrays(4)), { limit: 3 });
    expect(x.shape).toEqual([3, 28, 28]);
    expect(x.dataSync()[255]).toBeCloseTo(1, 6);
    expect(x.dataSync()[51]).toBeCloseTo(0.2, 6);
    expect(Array.from(y.dataSync().subarray(10, 20))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    x.dispose();
    y.dispose();
  });
});

describe('mnistFromArrays', () => {
  it('takes bytes (divided by 255) or floats in [0, 1] (kept), and copies them', () => {
    const a = arrays(2);
    const fromBytes = mnistFromArrays(a.images, a.labels);
    const floats = Float32Array.from(a.images, (b) => b / 255);
    const fromFloats = mnistFromArrays(floats, Array.from(a.labels));
    expect(Array.from(fromFloats.x.dataSync())).toEqual(Array.from(fromBytes.x.dataSync()));
    expect(Array.from(fromFloats.y.dataSync())).toEqual(Array.from(fromBytes.y.dataSync()));
    floats[0] = 0.5; // the tensor owns its copy
    expect(fromFloats.x.dataSync()[0]).toBe(0);
    for (const t of [fromBytes.x, fromBytes.y, fromFloats.x, fromFloats.y]) t.dispose();
  });

  it('says what was expected and found for wrong lengths, labels, pixels and limits', () => {
    const before = memory().numTensors;
    const a = arrays(2);
    expect(() => mnistFromArrays(a.images.subarray(1), a.labels)).toThrow('mnistFromArrays: expected images.length = 2 labels × 28 × 28 = 1568, got 1567');
    expect(() => mnistFromArrays(a.images, [1, 10])).toThrow('mnistFromArrays: label 1 is 10; expected an integer class 0..9');
    expect(() => mnistFromArrays(a.images, [1, 2.5])).toThrow('mnistFromArrays: label 1 is 2.5; expected an integer class 0..9');
    expect(() => mnistFromArrays(Float32Array.from(a.images), a.labels)).toThrow(
      'mnistFromArrays: pixel 2 is 2; Float32Array images must hold values in [0, 1] (pass a Uint8Array for bytes 0..255)',
    );
    expect(() => mnistFromArrays(new Float32Array(784).fill(NaN), [0])).toThrow('mnistFromArrays: pixel 0 is NaN');
    expect(() => mnistFromArrays(new Uint8Array(0), [])).toThrow('mnistFromArrays: expected at least one label, got an empty labels array');
    expect(() => mnistFromArrays(a.images, a.labels, { limit: -1 })).toThrow('mnistFromArrays: limit must be a positive integer, got -1');
    expect(memory().numTensors).toBe(before);
  });

  it('handles other image sizes', () => {
    const a = arrays(3, 8, 8);
    const { x, y } = mnistFromArrays(a.images, a.labels, { rows: 8, cols: 8 });
    expect(x.shape).toEqual([3, 8, 8]);
    x.dispose();
    y.dispose();
  });
});
