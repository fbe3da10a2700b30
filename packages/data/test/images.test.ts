// imageFolder and the built-in PNG decoder: pixels against a Python encoder's, folders, labels,
// shuffling, sizes, and the browser decoder's glue (createImageBitmap / OffscreenCanvas stubbed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { dispose, tensor } from '@neurona/tensor';
import { decodePng, imageFolder, type ImageEntry } from '../src/index';
import { platform as browserPlatform } from '../src/platform/browser';
import { toChannels } from '../src/sources/image-folder';

const fixtures = join(import.meta.dirname, 'fixtures');
const expected = JSON.parse(readFileSync(join(fixtures, 'png-expected.json'), 'utf8')) as Record<string, { width: number; height: number; channels: number; data: number[] }>;
const inflate = (d: Uint8Array): Uint8Array => inflateSync(d);

describe('decodePng', () => {
  it('decodes every color type, bit depths 1 to 16 and all five filters as the encoder wrote them', () => {
    for (const name of Object.keys(expected).filter((k) => k.startsWith('png-'))) {
      const img = decodePng(readFileSync(join(fixtures, name)), inflate, name);
      const want = expected[name];
      expect([name, img.width, img.height, img.channels]).toEqual([name, want.width, want.height, want.channels]);
      expect(Array.from(img.data)).toEqual(want.data);
    }
  });

  it('refuses what it cannot read', () => {
    expect(() => decodePng(new Uint8Array([1, 2, 3]), inflate, 'x.jpg')).toThrow('x.jpg: not a PNG file (the built-in decoder reads PNG only; pass decode for other formats)');
    const png = new Uint8Array(readFileSync(join(fixtures, 'png-rgb8.png')));
    const interlaced = png.slice();
    interlaced[8 + 8 + 12] = 1; // IHDR's interlace byte
    expect(() => decodePng(interlaced, inflate, 'i.png')).toThrow('i.png: interlaced PNGs are not supported');
    expect(() => decodePng(png.subarray(0, 40), inflate, 't.png')).toThrow('t.png: the PNG is truncated (it ends before its IEND chunk)');
    expect(() => decodePng(png.subarray(0, 60), inflate, 't.png')).toThrow('t.png: the PNG is truncated in its IDAT chunk');
  });
});

describe('toChannels', () => {
  it('converts gray, gray+alpha, RGB and RGBA to the color mode (grayscale with tf.image weights)', () => {
    const rgb = { width: 1, height: 1, channels: 3, data: new Uint8Array([100, 150, 200]) };
    expect(Array.from(toChannels(rgb, 'grayscale'))).toEqual([Math.round(0.2989 * 100 + 0.587 * 150 + 0.114 * 200)]);
    expect(Array.from(toChannels(rgb, 'rgba'))).toEqual([100, 150, 200, 255]);
    const ga = { width: 1, height: 1, channels: 2, data: new Uint8Array([7, 9]) };
    expect(Array.from(toChannels(ga, 'rgb'))).toEqual([7, 7, 7]);
    expect(Array.from(toChannels(ga, 'rgba'))).toEqual([7, 7, 7, 9]);
    const rgba = { width: 1, height: 1, channels: 4, data: new Uint8Array([1, 2, 3, 4]) };
    expect(Array.from(toChannels(rgba, 'rgb'))).toEqual([1, 2, 3]);
  });
});

describe('imageFolder (Node)', () => {
  const folder = join(fixtures, 'folder');

  it('lists the classes, labels by folder and yields float32 [h, w, c] in [0, 255]', async () => {
    const ds = await imageFolder(folder, { shuffle: false });
    expect(ds.classNames).toEqual(['cats', 'dogs']);
    expect(ds.size).toBe(5);
    const items = await ds.toArray();
    expect(items.map((e) => e.y)).toEqual([0, 0, 0, 1, 1]);
    expect(items[3].x.shape).toEqual([8, 8, 3]);
    expect(Array.from(items[3].x.values as Float32Array)).toEqual(expected['folder/dogs/0.png'].data);
    const [b] = await ds.batch(5).toArray();
    expect([b.x.shape, b.x.dtype, b.y.shape]).toEqual([[5, 8, 8, 3], 'float32', [5]]);
    dispose([b.x, b.y]);
  });

  it('shuffles the files with a seed, each pass, and one-hot labels on request', async () => {
    const ds = await imageFolder(folder, { seed: 3, labelMode: 'categorical', colorMode: 'grayscale' });
    const p1 = (await ds.toArray()).map((e) => Array.from(e.y as Float32Array));
    const p2 = (await ds.toArray()).map((e) => Array.from(e.y as Float32Array));
    expect(p1.map((y) => y.indexOf(1)).sort()).toEqual([0, 0, 0, 1, 1]);
    const again = await imageFolder(folder, { seed: 3, labelMode: 'categorical', colorMode: 'grayscale' });
    expect((await again.toArray()).map((e) => Array.from(e.y as Float32Array))).toEqual(p1);
    expect(p1.length + p2.length).toBe(10);
    expect((await ds.take(1).toArray())[0].x.shape).toEqual([8, 8, 1]);
  });

  it('takes a decoder of its own (tensors allowed) and a class subset', async () => {
    const ds = await imageFolder(folder, { decode: (bytes) => tensor([bytes.length]), classNames: ['dogs'], shuffle: false });
    const items = await ds.toArray();
    expect(items.map((e) => e.y)).toEqual([0, 0]);
    dispose(items.map((e) => e.x));
  });

  it('names the file of an image of another size, and other mistakes', async () => {
    await expect((await imageFolder(join(fixtures, 'folder-bad'), { shuffle: false })).toArray()).rejects.toThrow(/imageFolder: .*a\/1\.png is 8×9 pixels; expected 8×8 like .*a\/0\.png \(imageFolder does not resize/);
    await expect((await imageFolder(folder, { imageSize: [4, 4], shuffle: false })).toArray()).rejects.toThrow('is 8×8 pixels; expected 4×4 like imageSize');
    await expect(imageFolder(join(fixtures, 'nope'))).rejects.toThrow(`imageFolder: no folder at '${join(fixtures, 'nope')}'`);
    await expect(imageFolder(join(fixtures, 'csv-cases.json'))).rejects.toThrow('is a file; expected a folder with one sub-folder per class');
    await expect(imageFolder(folder, { classNames: ['cats', 'birds'] })).rejects.toThrow("imageFolder: classNames names 'birds', which has no images; the classes found are cats, dogs");
    await expect(imageFolder(folder, { extensions: ['.jpg'] })).rejects.toThrow('imageFolder: found no images (extensions .jpg)');
  });
});

describe('imageFolder in a browser (Files and URLs; decoder glue with stubbed canvas APIs)', () => {
  const g = globalThis as Record<string, unknown>;
  afterEach(() => {
    delete g.createImageBitmap;
    delete g.OffscreenCanvas;
  });

  it('decodes through createImageBitmap and OffscreenCanvas to RGBA', async () => {
    g.createImageBitmap = async (blob: Blob) => ({ width: 2, height: 1, size: (await blob.arrayBuffer()).byteLength, close() {} });
    g.OffscreenCanvas = class {
      constructor(
        public w: number,
        public h: number,
      ) {}
      getContext() {
        return { drawImage() {}, getImageData: (_x: number, _y: number, w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4).map((_, i) => i) }) };
      }
    };
    const p = await browserPlatform.decodeImage(new Uint8Array([1, 2, 3]), 'a.png');
    expect([p.width, p.height, p.channels, Array.from(p.data)]).toEqual([2, 1, 4, [0, 1, 2, 3, 4, 5, 6, 7]]);
  });

  it('says what is missing without createImageBitmap, and that folders and paths need Node', async () => {
    await expect(browserPlatform.decodeImage(new Uint8Array([1]), 'a.png')).rejects.toThrow('a.png: this environment has no createImageBitmap to decode images; pass decode');
    await expect(browserPlatform.listImageFolder('x', [], 'imageFolder')).rejects.toThrow("imageFolder: listing the folder 'x' needs Node; in a browser pass the File objects of a folder");
    expect(() => browserPlatform.readFile('a.csv', 'csv')).toThrow("csv: reading the path 'a.csv' needs Node; in a browser pass a URL, a File/Blob, a ReadableStream or bytes");
  });

  it('labels Files by the folder in webkitRelativePath, and entries by className', async () => {
    const png = readFileSync(join(fixtures, 'folder', 'cats', '0.png'));
    const file = (path: string) => Object.assign(new Blob([png]), { webkitRelativePath: path, name: path.split('/').pop() });
    const ds = await imageFolder([file('root/b/1.png'), file('root/a/1.png'), file('root/a/2.png')], { shuffle: false });
    expect(ds.classNames).toEqual(['a', 'b']);
    expect((await ds.toArray()).map((e) => e.y)).toEqual([1, 0, 0]);
    const entries: ImageEntry[] = [{ className: 'z', source: new Blob([png]) }];
    expect((await (await imageFolder(entries)).toArray())[0].x.shape).toEqual([8, 8, 3]);
    await expect(imageFolder([new Blob([png])])).rejects.toThrow('imageFolder: file 0 (a Blob) has no folder in its webkitRelativePath');
  });
});
