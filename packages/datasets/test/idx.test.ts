import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { parseIdx } from '../src';
import { makeIdx } from './idx-helpers';

describe('parseIdx', () => {
  it('reads dimensions and data of an unsigned-byte IDX file', () => {
    const parsed = parseIdx(makeIdx([2, 3], [1, 2, 3, 4, 5, 6]), 'x', 2);
    expect(parsed.dims).toEqual([2, 3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('names the file, the expected and the found magic number', () => {
    const bytes = makeIdx([3], [1, 2, 3]);
    expect(() => parseIdx(bytes, 'train-images-idx3-ubyte', 3)).toThrow(
      'train-images-idx3-ubyte: expected IDX magic number 0x00000803 (unsigned bytes, 3 dimensions), found 0x00000801',
    );
    const floats = Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0]);
    expect(() => parseIdx(floats, 'f')).toThrow('f: expected IDX magic number 0x000008NN (unsigned bytes, NN dimensions), found 0x00000d01');
  });

  it('says so when the bytes are still gzip-compressed', () => {
    expect(() => parseIdx(gzipSync(makeIdx([1], [7])), 'labels', 1)).toThrow(/found 0x1f8b.*gzip-compressed, decompress it first/);
  });

  it('reports a truncated header and truncated data with the declared and found sizes', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0]), 'a')).toThrow('a is truncated: expected an IDX header of at least 4 bytes, found 2 bytes');
    expect(() => parseIdx(makeIdx([2, 3], [1, 2, 3, 4, 5, 6]).subarray(0, 9), 'b', 2)).toThrow(
      'b is truncated: the header declares 2 dimensions (12 header bytes), found 9 bytes',
    );
    const images = makeIdx([2, 28, 28], new Uint8Array(2 * 784));
    expect(() => parseIdx(images.subarray(0, images.length - 100), 'c', 3)).toThrow(
      'c is truncated: the header declares 2 × 28 × 28 = 1,568 data bytes, found 1,468',
    );
  });

  it('rejects bytes after the declared data', () => {
    const bytes = new Uint8Array([...makeIdx([2], [1, 2]), 9, 9]);
    expect(() => parseIdx(bytes, 'd', 1)).toThrow('d has 2 bytes after the 2 data bytes its header declares');
  });
});
