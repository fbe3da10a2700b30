// The files the example streams: MNIST's four IDX files (gzip, as the official mirror serves
// them) and a CSV in Kaggle's "Digit Recognizer" layout (label,pixel0,...,pixel783). When no
// directory of real files is given, they are written from the 10,000 digits embedded in
// @neurona/datasets, so the example runs offline.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeMnistBinary } from '@neurona/datasets';

/** Paths of the IDX files and the CSV file. */
export interface DigitFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
  /** The training digits again, as CSV rows. */
  csv: string;
}

/** The files in `dir` (official names, `.gz`), whether or not they exist yet. */
export function digitFiles(dir: string): DigitFiles {
  return {
    trainImages: join(dir, 'train-images-idx3-ubyte.gz'),
    trainLabels: join(dir, 'train-labels-idx1-ubyte.gz'),
    testImages: join(dir, 't10k-images-idx3-ubyte.gz'),
    testLabels: join(dir, 't10k-labels-idx1-ubyte.gz'),
    csv: join(dir, 'digits.csv'),
  };
}

/** An IDX file's bytes: magic (0, 0, type 0x08 = ubyte, rank), big-endian dimensions, then the data. */
export function idxBytes(data: Uint8Array, dims: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 | dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Kaggle's digit CSV, line by line: a header, then one row per image (label first, `size` pixel values 0..255). */
export function* digitsCsvLines(pixels: Uint8Array, labels: Uint8Array, size: number): Generator<string> {
  yield ['label', ...Array.from({ length: size }, (_, i) => `pixel${i}`)].join(',');
  for (let n = 0; n < labels.length; n++) yield `${labels[n]},${pixels.subarray(n * size, (n + 1) * size).join(',')}`;
}

function writeLines(path: string, lines: Iterable<string>): void {
  const fd = openSync(path, 'w');
  try {
    for (const line of lines) writeSync(fd, `${line}\n`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Write the files into `dir` from the embedded digits (the first `trainCount` for training, the
 * rest for testing) unless they are there already; returns their paths.
 */
export function ensureDigitFiles(dir: string, trainCount = 8000): DigitFiles {
  const files = digitFiles(dir);
  if (Object.values(files).every((p) => existsSync(p))) return files;
  mkdirSync(dir, { recursive: true });
  // the embedded digits' bytes (the package exports its binary), without making tensors
  const bin = createRequire(import.meta.url).resolve('@neurona/datasets/mnist-10k.bin');
  const { images: pixels, labels, count: n, rows, cols } = decodeMnistBinary(readFileSync(bin), bin);
  const size = rows * cols;
  const split = (a: Uint8Array, per: number): [Uint8Array, Uint8Array] => [a.subarray(0, trainCount * per), a.subarray(trainCount * per)];
  const [trainPixels, testPixels] = split(pixels, size);
  const [trainLabels, testLabels] = split(labels, 1);
  writeFileSync(files.trainImages, gzipSync(idxBytes(trainPixels, [trainCount, rows, cols])));
  writeFileSync(files.trainLabels, gzipSync(idxBytes(trainLabels, [trainCount])));
  writeFileSync(files.testImages, gzipSync(idxBytes(testPixels, [n - trainCount, rows, cols])));
  writeFileSync(files.testLabels, gzipSync(idxBytes(testLabels, [n - trainCount])));
  writeLines(files.csv, digitsCsvLines(trainPixels, trainLabels, size));
  return files;
}
