import { describeData, checkOptionTypes } from '@neurona/common';
// imageFolder(): images in one folder per class (Keras's image_dataset_from_directory, without
// resizing), under Node from a path, in browsers from the Files of a folder or URLs.
import { buffer, createRng, nextSeed } from '@neurona/tensor';
import { Dataset } from '../dataset';
import { disposeElement } from '../element';
import { isTensor, isTensorBuffer } from '../guards';
import { passSeed } from '../ops/shuffle-buffer';
import { platform } from '../platform';
import type { Pixels } from '../platform/types';
import type { TensorBufferLike } from '../types';

/** An image given directly: its class and its bytes (a Blob/File) or a URL to fetch. */
export interface ImageEntry {
  className: string;
  source: Blob | string | URL;
}

/** Options of `imageFolder`. */
export interface ImageFolderOptions<X = TensorBufferLike> {
  /** Channels of the built-in decoder's output: `'grayscale'` (1), `'rgb'` (3, default, as Keras) or `'rgba'` (4). */
  colorMode?: 'grayscale' | 'rgb' | 'rgba';
  /** `'int'` (default): y is the class index; `'categorical'`: y is a one-hot Float32Array. */
  labelMode?: 'int' | 'categorical';
  /** The classes in label order (default: the class folders' names, sorted). Images of other classes are left out. */
  classNames?: readonly string[];
  /** Read the files in a new random order on every pass (default true, as Keras). */
  shuffle?: boolean;
  /** Seed of that order; default the next seed of `@neurona/tensor`'s global sequence. */
  seed?: number;
  /** The expected [height, width]: images of another size are an error naming the file (there is no resizing). */
  imageSize?: readonly [number, number];
  /**
   * Your decoder: bytes → a TensorBuffer or tensor [height, width, channels] (e.g. with sharp or
   * jpeg-js). Default: PNG under Node (built in), createImageBitmap in browsers; `colorMode` applies
   * to the default decoder only.
   */
  decode?: (bytes: Uint8Array, name: string) => X | Promise<X>;
  /** File extensions read from a folder (default `.png` with the built-in decoder, else also `.jpg`, `.jpeg`, `.bmp`, `.gif`, `.webp`). */
  extensions?: readonly string[];
}

/** An element of `imageFolder`: the image and its label. */
export interface ImageElement<X = TensorBufferLike> {
  x: X;
  y: number | Float32Array;
}

interface Item {
  name: string;
  label: number;
  read(): Promise<Uint8Array>;
}

/** A dataset of labelled images, with its classes and files. */
export class ImageFolderDataset<X = TensorBufferLike> extends Dataset<ImageElement<X>> {
  /** The class names, in label order. */
  readonly classNames: readonly string[];
  /** The images' names (paths, or folder-relative names), in reading order before shuffling. */
  readonly files: readonly string[];

  /** Use `imageFolder`. */
  constructor(open: () => AsyncIterator<ImageElement<X>>, size: number, classNames: string[], files: string[]) {
    super(open, { size });
    this.classNames = classNames;
    this.files = files;
  }
}

const GRAY = [0.2989, 0.587, 0.114]; // tf.image.rgb_to_grayscale's weights

/** Convert decoded pixels to `channels` float32 values in [0, 255]. */
export function toChannels(p: Pixels, mode: 'grayscale' | 'rgb' | 'rgba'): Float32Array {
  const want = mode === 'grayscale' ? 1 : mode === 'rgb' ? 3 : 4;
  const n = p.width * p.height;
  const out = new Float32Array(n * want);
  const c = p.channels;
  for (let i = 0; i < n; i++) {
    const s = i * c;
    const gray = c <= 2;
    const r = p.data[s];
    const g = gray ? r : p.data[s + 1];
    const b = gray ? r : p.data[s + 2];
    const a = c === 2 ? p.data[s + 1] : c === 4 ? p.data[s + 3] : 255;
    const o = i * want;
    if (want === 1) out[o] = gray ? r : Math.round(GRAY[0] * r + GRAY[1] * g + GRAY[2] * b);
    else {
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      if (want === 4) out[o + 3] = a;
    }
  }
  return out;
}

async function fetchBytes(url: string, name: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`imageFolder: GET ${url} (${name}) answered ${res.status} ${res.statusText}`.trimEnd());
  return new Uint8Array(await res.arrayBuffer());
}

function fromEntries(entries: readonly (ImageEntry | Blob)[]): { className: string; name: string; read: () => Promise<Uint8Array> }[] {
  return entries.map((e, i) => {
    if (typeof Blob !== 'undefined' && e instanceof Blob) {
      // a File of <input webkitdirectory>: root/class/name.png
      const rel = (e as { webkitRelativePath?: string }).webkitRelativePath ?? '';
      const parts = rel.split('/').filter(Boolean);
      if (parts.length < 2) throw new Error(`imageFolder: file ${i} (${(e as { name?: string }).name ?? 'a Blob'}) has no folder in its webkitRelativePath; pick a folder (<input webkitdirectory>) or pass { className, source } entries`);
      return { className: parts[parts.length - 2], name: rel, read: async () => new Uint8Array(await e.arrayBuffer()) };
    }
    const entry = e as ImageEntry;
    if (typeof entry?.className !== 'string') throw new Error(`imageFolder: entry ${i} is ${describeData(e)}; expected a File or { className, source }`);
    const src = entry.source;
    if (typeof Blob !== 'undefined' && src instanceof Blob) return { className: entry.className, name: `${entry.className}/${i}`, read: async () => new Uint8Array(await src.arrayBuffer()) };
    const url = src instanceof URL ? src.href : String(src);
    return { className: entry.className, name: url, read: () => fetchBytes(url, url) };
  });
}

function shapeOf(x: unknown, name: string): readonly number[] {
  if (isTensor(x) || isTensorBuffer(x)) return x.shape;
  throw new Error(`imageFolder: decode returned ${describeData(x)} for ${name}; expected a TensorBuffer or a tensor [height, width, channels]`);
}

/**
 * A dataset of the images of a folder with one sub-folder per class (Node), or of the Files of a
 * folder picked in a browser (`<input webkitdirectory>`), or of `{ className, source }` entries.
 * Elements are `{ x, y }`: x a float32 TensorBuffer [height, width, channels] with values in
 * [0, 255] (Keras's image_dataset_from_directory without resizing: every image must have the same
 * size to be batched), y the class index (or one-hot). PNG is decoded built in under Node; other
 * formats need `decode`. The file list is read now; images are read and decoded lazily.
 *
 * ```ts
 * const ds = await imageFolder('photos/', { colorMode: 'grayscale', seed: 1 });
 * console.log(ds.classNames); // ['cats', 'dogs']
 * const batches = ds.batch(32).prefetch(2);
 * ```
 */
export async function imageFolder<X = TensorBufferLike>(source: string | readonly (ImageEntry | Blob)[], options: ImageFolderOptions<X> = {}): Promise<ImageFolderDataset<X>> {
  const who = 'imageFolder';
  checkOptionTypes(who, options, {
    colorMode: 'string',
    labelMode: 'string',
    classNames: 'array',
    shuffle: 'boolean',
    seed: 'number',
    imageSize: 'array',
    decode: 'function',
    extensions: 'array',
  });
  const colorMode = options.colorMode ?? 'rgb';
  if (!['grayscale', 'rgb', 'rgba'].includes(colorMode)) throw new Error(`${who}: colorMode must be 'grayscale', 'rgb' or 'rgba', got ${describeData(colorMode)}`);
  const labelMode = options.labelMode ?? 'int';
  if (labelMode !== 'int' && labelMode !== 'categorical') throw new Error(`${who}: labelMode must be 'int' or 'categorical', got ${describeData(labelMode)}`);
  if (options.decode !== undefined && typeof options.decode !== 'function') throw new Error(`${who}: decode must be a function, got ${describeData(options.decode)}`);
  if (options.seed !== undefined && !Number.isFinite(options.seed)) throw new Error(`${who}: seed must be a finite number, got ${describeData(options.seed)}`);
  const extensions = options.extensions ?? (options.decode ? ['.png', '.jpg', '.jpeg', '.bmp', '.gif', '.webp'] : ['.png']);

  let listed: { className: string; name: string; read: () => Promise<Uint8Array> }[];
  if (typeof source === 'string') {
    listed = (await platform.listImageFolder(source, extensions, who)).map((f) => ({ className: f.className, name: f.path, read: () => platform.readWholeFile(f.path, who) }));
  } else if (Array.isArray(source)) listed = fromEntries(source);
  else throw new Error(`${who}: expected a folder path, or an array of Files or { className, source } entries, got ${describeData(source)}`);

  const found = [...new Set(listed.map((f) => f.className))].sort();
  const classNames = options.classNames ? [...options.classNames] : found;
  const missing = classNames.filter((c) => !found.includes(c));
  if (missing.length > 0) throw new Error(`${who}: classNames names ${missing.map((m) => `'${m}'`).join(', ')}, which has no images; the classes found are ${found.join(', ') || 'none'}`);
  const items: Item[] = listed.filter((f) => classNames.includes(f.className)).map((f) => ({ name: f.name, label: classNames.indexOf(f.className), read: f.read }));
  if (items.length === 0) throw new Error(`${who}: found no images (extensions ${extensions.join(', ')}) in ${typeof source === 'string' ? `the class folders of '${source}'` : 'the entries given'}`);

  const shuffle = options.shuffle ?? true;
  const seed = options.seed === undefined ? nextSeed() : Math.floor(options.seed) >>> 0;
  let pass = 0;
  const decode = options.decode;

  async function* open(): AsyncGenerator<ImageElement<X>> {
    const order = items.map((_, i) => i);
    if (shuffle) {
      const rng = createRng(passSeed(seed, pass++));
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    let first: { name: string; shape: readonly number[] } | null = null;
    for (const k of order) {
      const item = items[k];
      const bytes = await item.read();
      let x: X;
      if (decode) x = await decode(bytes, item.name);
      else {
        const p = await platform.decodeImage(bytes, item.name);
        x = buffer([p.height, p.width, colorMode === 'grayscale' ? 1 : colorMode === 'rgb' ? 3 : 4], 'float32', toChannels(p, colorMode)) as unknown as X;
      }
      const shape = shapeOf(x, item.name);
      const [h, w] = shape;
      const expected = options.imageSize ? { name: `imageSize`, shape: options.imageSize } : first;
      if (expected && (expected.shape[0] !== h || expected.shape[1] !== w)) {
        disposeElement(x);
        throw new Error(
          `${who}: ${item.name} is ${h}×${w} pixels; expected ${expected.shape[0]}×${expected.shape[1]} like ${expected.name} (imageFolder does not resize: resize the images beforehand)`,
        );
      }
      first ??= { name: item.name, shape };
      let y: number | Float32Array = item.label;
      if (labelMode === 'categorical') {
        y = new Float32Array(classNames.length);
        y[item.label] = 1;
      }
      yield { x, y };
    }
  }
  return new ImageFolderDataset<X>(open, items.length, classNames, items.map((i) => i.name));
}
