import type { Tensor2D, Tensor3D } from '@neurona/tensor';

/** Images and one-hot labels: `x` is `[n, rows, cols]` float32 in [0, 1], `y` is `[n, 10]` float32. */
export interface MnistData {
  x: Tensor3D;
  y: Tensor2D;
}

/** The official split, as `keras.datasets.mnist.load_data()` returns it: 60,000 train, 10,000 test. */
export interface MnistSplits {
  train: MnistData;
  test: MnistData;
}

/** Digits as plain bytes, before they become tensors: what the binary format and IDX files hold. */
export interface MnistArrays {
  /** Pixels 0..255, `count × rows × cols` bytes, row-major, one image after another. */
  images: Uint8Array;
  /** Digit classes 0..9, `count` bytes. */
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** `loadMnist()` with no source: the 10,000 embedded digits. */
export interface EmbeddedMnistOptions {
  /** Take at most the first `limit` digits (every prefix is class-balanced). */
  limit?: number;
  dir?: undefined;
  url?: undefined;
}

/** `loadMnist({ dir })`: the four standard IDX files, raw or `.gz`, from a directory. */
export interface MnistDirOptions {
  dir: string;
  /** Take at most the first `limit` digits of each split. */
  limit?: number;
  url?: undefined;
}

/** Where a download's progress goes: `true` is stderr, `false` is silence, or any writable text sink. */
export type ProgressOption = boolean | { write(text: string): unknown; isTTY?: boolean };

/** `loadMnist({ url })`: download the four `.gz` IDX files from a base URL into a cache, then read them. */
export interface MnistUrlOptions {
  /** Base URL holding `train-images-idx3-ubyte.gz` and the other three, e.g. `MNIST_URL`. */
  url: string;
  /** Where downloads are kept; default `~/.neurona/datasets/mnist`. */
  cacheDir?: string;
  /**
   * Expected SHA-256 (hex) per file name; default the official files' sums (`MNIST_FILES`).
   * Names left out keep their official sum. `false` skips verification (not recommended).
   */
  checksums?: Partial<Record<MnistFileName, string>> | false;
  /** Progress bar while downloading; default `true` (stderr). */
  progress?: ProgressOption;
  /** Take at most the first `limit` digits of each split. */
  limit?: number;
  dir?: undefined;
}

/** The four files of the official MNIST distribution, without `.gz`. */
export type MnistFileName =
  | 'train-images-idx3-ubyte'
  | 'train-labels-idx1-ubyte'
  | 't10k-images-idx3-ubyte'
  | 't10k-labels-idx1-ubyte';
