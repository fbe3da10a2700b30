// The data package's environment in a browser: no file system (pass URLs, Files or streams);
// gzip through DecompressionStream where the browser has it.
import type { Pixels, Platform } from './types';

interface Canvas2D {
  drawImage(image: unknown, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}

// createImageBitmap + OffscreenCanvas (or a <canvas> on pages without OffscreenCanvas): RGBA pixels
async function decodeWithCanvas(bytes: Uint8Array, name: string): Promise<Pixels> {
  const g = globalThis as unknown as {
    createImageBitmap?: (b: Blob) => Promise<{ width: number; height: number; close?: () => void }>;
    OffscreenCanvas?: new (w: number, h: number) => { getContext(k: '2d'): Canvas2D | null };
    document?: { createElement(t: 'canvas'): { width: number; height: number; getContext(k: '2d'): Canvas2D | null } };
  };
  if (!g.createImageBitmap) throw new Error(`${name}: this environment has no createImageBitmap to decode images; pass decode`);
  const bitmap = await g.createImageBitmap(new Blob([bytes as BlobPart]));
  try {
    const { width, height } = bitmap;
    let ctx: Canvas2D | null = null;
    if (g.OffscreenCanvas) ctx = new g.OffscreenCanvas(width, height).getContext('2d');
    else if (g.document) {
      const c = g.document.createElement('canvas');
      c.width = width;
      c.height = height;
      ctx = c.getContext('2d');
    }
    if (!ctx) throw new Error(`${name}: no 2D canvas to read the decoded pixels; pass decode`);
    ctx.drawImage(bitmap, 0, 0);
    return { width, height, channels: 4, data: ctx.getImageData(0, 0, width, height).data };
  } finally {
    bitmap.close?.();
  }
}

const noFiles = (who: string, path: string): Error =>
  new Error(`${who}: reading the path '${path}' needs Node; in a browser pass a URL, a File/Blob, a ReadableStream or bytes`);

async function* gunzipChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') throw new Error('gzip: this browser has no DecompressionStream; decompress the file first');
  const it = chunks[Symbol.asyncIterator]();
  const input = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const r = await it.next();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    async cancel() {
      await it.return?.();
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Browsers: URLs, Files and streams only; gzip through DecompressionStream. */
export const platform: Platform = {
  name: 'browser',
  readFile(path, who) {
    throw noFiles(who, path);
  },
  peekFile: () => null,
  gunzip: gunzipChunks,
  gunzipPrefixSync: () => null,
  fileExists: () => Promise.resolve(false),
  writeFileAtomic(path, who) {
    return Promise.reject(new Error(`${who}: cache({ file: '${path}' }) needs Node; in a browser use cache() (memory)`));
  },
  listImageFolder(dir, _extensions, who) {
    return Promise.reject(new Error(`${who}: listing the folder '${dir}' needs Node; in a browser pass the File objects of a folder (<input webkitdirectory>)`));
  },
  pathOfFileUrl(url, who) {
    throw noFiles(who, url.href);
  },
  decodeImage: decodeWithCanvas,
  readWholeFile(path, who) {
    return Promise.reject(noFiles(who, path));
  },
};
