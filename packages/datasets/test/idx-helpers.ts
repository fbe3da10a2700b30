import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** An IDX file of unsigned bytes with the given dimensions. */
export function makeIdx(dims: number[], data: ArrayLike<number>): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x0800 + dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(Array.from(data), header.length);
  return out;
}

/** Tiny MNIST-like files: image i of a split has every pixel equal to (10 × i + split offset), label i % 10. */
export function tinyMnist(train = 12, test = 5, rows = 28, cols = 28) {
  const make = (n: number, offset: number) => {
    const pixels = new Uint8Array(n * rows * cols);
    for (let i = 0; i < n; i++) pixels.fill((10 * i + offset) % 256, i * rows * cols, (i + 1) * rows * cols);
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    return { images: makeIdx([n, rows, cols], pixels), labels: makeIdx([n], labels) };
  };
  const tr = make(train, 0);
  const te = make(test, 5);
  return {
    'train-images-idx3-ubyte': tr.images,
    'train-labels-idx1-ubyte': tr.labels,
    't10k-images-idx3-ubyte': te.images,
    't10k-labels-idx1-ubyte': te.labels,
  } as Record<string, Uint8Array>;
}

export function tempDir(prefix = 'neurona-datasets-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Write the files to a new temp dir, gzipped (`.gz` names) when `gz`. */
export function writeFiles(files: Record<string, Uint8Array>, gz = false, dir = tempDir()): string {
  for (const [name, bytes] of Object.entries(files)) {
    writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
  }
  return dir;
}
