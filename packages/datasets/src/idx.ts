import type { MnistArrays } from './types';

/** An IDX array of unsigned bytes: its dimensions and the data after the header. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/**
 * Parse an IDX file (the format of the MNIST distribution) of unsigned bytes.
 * `name` appears in every error; `expectedDims` (3 for images, 1 for labels) is checked against
 * the magic number. The data is a view into `bytes`, not a copy.
 */
export function parseIdx(bytes: Uint8Array, name: string, expectedDims?: number): IdxArray {
  if (bytes.length < 4) {
    throw new Error(`${name} is truncated: expected an IDX header of at least 4 bytes, found ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const want = expectedDims === undefined ? undefined : 0x0800 + expectedDims;
  const nd = bytes[3];
  // The magic is 0x00 0x00 <type> <number of dimensions>; MNIST uses type 0x08 (unsigned byte).
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08 || (want !== undefined && magic !== want) || nd === 0) {
    const expected = want === undefined ? '0x000008NN (unsigned bytes, NN dimensions)' : `${hex(want)} (unsigned bytes, ${expectedDims} dimension${expectedDims === 1 ? '' : 's'})`;
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b ? '; the file is gzip-compressed, decompress it first' : '';
    throw new Error(`${name}: expected IDX magic number ${expected}, found ${hex(magic)}${gz}`);
  }
  const headerBytes = 4 + 4 * nd;
  if (bytes.length < headerBytes) {
    throw new Error(`${name} is truncated: the header declares ${nd} dimensions (${headerBytes} header bytes), found ${bytes.length} bytes`);
  }
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - headerBytes;
  if (found < size) {
    throw new Error(
      `${name} is truncated: the header declares ${dims.join(' × ')} = ${size.toLocaleString('en-US')} data bytes, found ${found.toLocaleString('en-US')}`,
    );
  }
  if (found > size) {
    throw new Error(`${name} has ${(found - size).toLocaleString('en-US')} bytes after the ${size.toLocaleString('en-US')} data bytes its header declares`);
  }
  return { dims, data: bytes.subarray(headerBytes, headerBytes + size) };
}

/** Pair an images IDX and a labels IDX into MNIST arrays, checking that they agree. */
export function idxToMnistArrays(images: IdxArray, labels: IdxArray, imagesName: string, labelsName: string): MnistArrays {
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) {
    throw new Error(`${labelsName} holds ${labels.dims[0]} labels but ${imagesName} holds ${count} images; expected the same count`);
  }
  return { images: images.data, labels: labels.data, count, rows, cols };
}
