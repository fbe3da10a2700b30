import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { dispose } from '@neurona/tensor';
import { mnistArraysToTensors } from '../from-arrays';
import { idxToMnistArrays, parseIdx, type IdxArray } from '../idx';
import type { MnistFileName, MnistSplits } from '../types';

const gunzipAsync = promisify(gunzip);

/** Paths of the four MNIST files (each raw IDX or gzip-compressed). */
export type MnistFilePaths = Record<MnistFileName, string>;

export const MNIST_FILE_NAMES: readonly MnistFileName[] = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/**
 * Find the four files in `dir`: `<name>`, `<name>.gz`, or the `train-images.idx3-ubyte` spelling
 * some mirrors use. A missing file is an error naming every name tried.
 */
export function findMnistFiles(dir: string): MnistFilePaths {
  if (!existsSync(dir)) throw new Error(`loadMnist: directory ${dir} does not exist; expected it to hold the four MNIST IDX files`);
  const paths = {} as MnistFilePaths;
  for (const name of MNIST_FILE_NAMES) {
    const dotted = name.replace('-idx', '.idx');
    const candidates = [name, `${name}.gz`, dotted, `${dotted}.gz`];
    const found = candidates.find((c) => existsSync(join(dir, c)));
    if (!found) throw new Error(`MNIST file missing in ${dir}: expected ${name} or ${name}.gz, found neither`);
    paths[name] = join(dir, found);
  }
  return paths;
}

/** Read one IDX file, gunzipping it when it starts with the gzip magic (whatever its name). */
export async function readIdxFile(path: string, expectedDims: number): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`Cannot read MNIST file ${path}: ${(e as Error).message}`, { cause: e });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (e) {
      throw new Error(`${path}: expected gzip data holding an IDX file, gunzip failed (${(e as Error).message}); the file is truncated or corrupt`, { cause: e });
    }
  }
  return parseIdx(bytes, path, expectedDims);
}

/** Read the four files into the official train/test split as tensors. */
export async function readMnistFiles(paths: MnistFilePaths, limit: number | undefined): Promise<MnistSplits> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    MNIST_FILE_NAMES.map((name) => readIdxFile(paths[name], name.includes('images') ? 3 : 1)),
  );
  const train = idxToMnistArrays(trainImages, trainLabels, paths['train-images-idx3-ubyte'], paths['train-labels-idx1-ubyte']);
  const test = idxToMnistArrays(testImages, testLabels, paths['t10k-images-idx3-ubyte'], paths['t10k-labels-idx1-ubyte']);
  const trainData = mnistArraysToTensors(train, limit, paths['train-labels-idx1-ubyte']);
  try {
    return { train: trainData, test: mnistArraysToTensors(test, limit, paths['t10k-labels-idx1-ubyte']) };
  } catch (e) {
    dispose([trainData.x, trainData.y]); // no tensors left behind by a bad test file
    throw e;
  }
}
