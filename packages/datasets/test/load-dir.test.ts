import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { memory, type Tensor } from '@neurona/tensor';
import { loadMnist } from '../src';
import { makeIdx, tinyMnist, writeFiles } from './idx-helpers';

const values = (t: Tensor) => Array.from(t.dataSync());

describe('loadMnist({ dir })', () => {
  for (const gz of [false, true]) {
    it(`reads the official train/test split from ${gz ? 'gzipped' : 'raw'} IDX files`, async () => {
      const dir = writeFiles(tinyMnist(12, 5), gz);
      const { train, test } = await loadMnist({ dir });
      expect(train.x.shape).toEqual([12, 28, 28]);
      expect(train.y.shape).toEqual([12, 10]);
      expect(test.x.shape).toEqual([5, 28, 28]);
      expect(train.x.dtype).toBe('float32');
      expect(train.y.dtype).toBe('float32');
      // image i is filled with byte 10 i (train) or 10 i + 5 (test), scaled to [0, 1]
      const tx = values(train.x);
      expect(tx[3 * 784]).toBeCloseTo(30 / 255, 6);
      expect(tx[11 * 784 + 783]).toBeCloseTo(110 / 255, 6);
      expect(values(test.x)[784]).toBeCloseTo(15 / 255, 6);
      const ty = values(train.y);
      expect(ty.slice(10 * 10, 11 * 10)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // label 10 % 10 = 0
      expect(ty.slice(3 * 10, 4 * 10)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
      for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
    });
  }

  it('takes the first `limit` of each split', async () => {
    const dir = writeFiles(tinyMnist(12, 5), true);
    const { train, test } = await loadMnist({ dir, limit: 4 });
    expect(train.x.shape).toEqual([4, 28, 28]);
    expect(test.y.shape).toEqual([4, 10]);
    for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
  });

  it('accepts the `train-images.idx3-ubyte` spelling of some mirrors and mixed raw/gz files', async () => {
    const dir = writeFiles(tinyMnist(3, 2));
    renameSync(join(dir, 'train-images-idx3-ubyte'), join(dir, 'train-images.idx3-ubyte'));
    const labels = join(dir, 't10k-labels-idx1-ubyte');
    writeFileSync(`${labels}.gz`, gzipSync(tinyMnist(3, 2)['t10k-labels-idx1-ubyte']));
    rmSync(labels);
    const { train, test } = await loadMnist({ dir });
    expect(train.x.shape[0]).toBe(3);
    expect(test.y.shape[0]).toBe(2);
    for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
  });

  it('names a missing file and the names it looked for', async () => {
    const dir = writeFiles(tinyMnist());
    rmSync(join(dir, 't10k-images-idx3-ubyte'));
    await expect(loadMnist({ dir })).rejects.toThrow(`MNIST file missing in ${dir}: expected t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz, found neither`);
    await expect(loadMnist({ dir: join(dir, 'nope') })).rejects.toThrow(`loadMnist: directory ${join(dir, 'nope')} does not exist`);
  });

  it('names the file with a wrong magic number (labels given for images)', async () => {
    const files = tinyMnist();
    files['train-images-idx3-ubyte'] = files['train-labels-idx1-ubyte'];
    const dir = writeFiles(files);
    await expect(loadMnist({ dir })).rejects.toThrow(
      `${join(dir, 'train-images-idx3-ubyte')}: expected IDX magic number 0x00000803 (unsigned bytes, 3 dimensions), found 0x00000801`,
    );
  });

  it('names a truncated raw file with declared and found sizes', async () => {
    const files = tinyMnist(12, 5);
    files['t10k-images-idx3-ubyte'] = files['t10k-images-idx3-ubyte'].subarray(0, 16 + 784 * 2);
    const dir = writeFiles(files);
    await expect(loadMnist({ dir })).rejects.toThrow(
      `${join(dir, 't10k-images-idx3-ubyte')} is truncated: the header declares 5 × 28 × 28 = 3,920 data bytes, found 1,568`,
    );
  });

  it('names a truncated gzip file', async () => {
    const dir = writeFiles(tinyMnist(), true);
    const file = join(dir, 'train-images-idx3-ubyte.gz');
    const gz = gzipSync(tinyMnist()['train-images-idx3-ubyte']);
    writeFileSync(file, gz.subarray(0, gz.length >> 1));
    await expect(loadMnist({ dir })).rejects.toThrow(`${file}: expected gzip data holding an IDX file, gunzip failed (unexpected end of file)`);
  });

  it('rejects image and label files that disagree, and labels outside 0..9, leaving no tensors', async () => {
    const files = tinyMnist(12, 5);
    files['train-labels-idx1-ubyte'] = makeIdx([11], new Uint8Array(11));
    const dir = writeFiles(files);
    await expect(loadMnist({ dir })).rejects.toThrow(/train-labels-idx1-ubyte holds 11 labels but .*train-images-idx3-ubyte holds 12 images; expected the same count/);

    const bad = tinyMnist(12, 5);
    bad['t10k-labels-idx1-ubyte'] = makeIdx([5], [1, 2, 12, 3, 4]);
    const dir2 = writeFiles(bad);
    const before = memory().numTensors;
    await expect(loadMnist({ dir: dir2 })).rejects.toThrow(/t10k-labels-idx1-ubyte: label 2 is 12; expected an integer class 0\.\.9/);
    expect(memory().numTensors).toBe(before);
  });

  it('rejects options that do not apply', async () => {
    await expect(loadMnist({ dir: '/x', url: 'http://a/' } as never)).rejects.toThrow('loadMnist: give either dir (local IDX files) or url (download), not both');
    await expect(loadMnist({ dir: '/x', cacheDir: '/y' } as never)).rejects.toThrow(
      'loadMnist: option "cacheDir" does not apply to the dir source; options of the dir source: dir, limit',
    );
    await expect(loadMnist({ dir: '/x', limit: 0 })).rejects.toThrow('loadMnist: limit must be a positive integer, got 0');
  });
});
