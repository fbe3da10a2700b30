import type { MnistArrays } from './types';

// The compact file a web page can fetch as one static asset (7.85 MB for 10,000 digits):
//   bytes 0-3   ASCII "NRMN"
//   byte  4     format version (1)
//   bytes 5, 6  rows, cols (28, 28)
//   byte  7     0 (reserved)
//   bytes 8-11  count, uint32 big-endian
//   bytes 12-15 0 (reserved)
//   then count label bytes (0..9), then count × rows × cols pixel bytes (0..255), row-major.
const MAGIC = [0x4e, 0x52, 0x4d, 0x4e]; // "NRMN"
const VERSION = 1;
const HEADER_BYTES = 16;

/** Encode MNIST arrays in neurona's compact binary format (see the package README). */
export function encodeMnistBinary(arrays: MnistArrays): Uint8Array {
  const { images, labels, count, rows, cols } = arrays;
  if (labels.length !== count || images.length !== count * rows * cols) {
    throw new Error(
      `encodeMnistBinary: expected ${count} labels and ${count} × ${rows} × ${cols} = ${count * rows * cols} pixels, got ${labels.length} labels and ${images.length} pixels`,
    );
  }
  if (rows > 255 || cols > 255) throw new Error(`encodeMnistBinary: rows and cols must be at most 255, got ${rows} × ${cols}`);
  const out = new Uint8Array(HEADER_BYTES + count + images.length);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  out[5] = rows;
  out[6] = cols;
  new DataView(out.buffer).setUint32(8, count);
  out.set(labels, HEADER_BYTES);
  out.set(images, HEADER_BYTES + count);
  return out;
}

/**
 * Decode neurona's compact MNIST binary (e.g. the fetched `@neurona/datasets/mnist-10k.bin`).
 * The arrays are views into `bytes`, not copies.
 */
export function decodeMnistBinary(bytes: Uint8Array | ArrayBuffer, name = 'MNIST binary'): MnistArrays {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (b.length < HEADER_BYTES) {
    throw new Error(`${name} is truncated: expected a ${HEADER_BYTES}-byte header, found ${b.length} bytes`);
  }
  if (MAGIC.some((m, i) => b[i] !== m)) {
    const found = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
    throw new Error(`${name}: expected magic "NRMN" (4e 52 4d 4e), found ${found}; is it a neurona MNIST binary?`);
  }
  if (b[4] !== VERSION) throw new Error(`${name}: expected format version ${VERSION}, found ${b[4]}`);
  const rows = b[5];
  const cols = b[6];
  const count = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(8);
  const expected = HEADER_BYTES + count + count * rows * cols;
  if (b.length !== expected) {
    throw new Error(
      `${name}: the header declares ${count} images of ${rows} × ${cols} (${expected} bytes in all), found ${b.length} bytes${b.length < expected ? ' (truncated)' : ''}`,
    );
  }
  const labels = b.subarray(HEADER_BYTES, HEADER_BYTES + count);
  const images = b.subarray(HEADER_BYTES + count, expected);
  return { images, labels, count, rows, cols };
}
