// What the data package needs from its environment (files, gzip, folders), implemented once for
// Node (node.ts) and once for browsers (browser.ts); the browser build swaps the module.

/** Writes a file atomically: nothing appears at the path until `commit`. */
export interface AtomicWriter {
  write(bytes: Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** A class folder's images, as `imageFolder` lists them. */
export interface ListedImage {
  className: string;
  path: string;
}

/** Decoded pixels: `channels` bytes per pixel, row by row. */
export interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** The environment: Node or a browser. */
export interface Platform {
  readonly name: 'node' | 'browser';
  /** The bytes of a file, in chunks; reading a path needs Node. */
  readFile(path: string, who: string): AsyncIterable<Uint8Array>;
  /** The first `n` bytes of a file, read synchronously (or null where that is not possible). */
  peekFile(path: string, n: number, who: string): Uint8Array | null;
  /** Decompress a gzip stream. */
  gunzip(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  /** Decompress the start of a gzip file synchronously, as far as `bytes` go (null where not possible). */
  gunzipPrefixSync(bytes: Uint8Array): Uint8Array | null;
  fileExists(path: string): Promise<boolean>;
  /** A writer whose bytes replace `path` only once committed. */
  writeFileAtomic(path: string, who: string): Promise<AtomicWriter>;
  /** The images of a folder with one sub-folder per class. */
  listImageFolder(dir: string, extensions: readonly string[], who: string): Promise<ListedImage[]>;
  /** The path of a `file:` URL. */
  pathOfFileUrl(url: URL, who: string): string;
  /** Decode an image with the environment's built-in decoder (PNG under Node; createImageBitmap in browsers). */
  decodeImage(bytes: Uint8Array, name: string): Promise<Pixels>;
  /** Read a whole (small) file. */
  readWholeFile(path: string, who: string): Promise<Uint8Array>;
}
