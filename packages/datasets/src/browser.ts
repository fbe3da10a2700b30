// Browser entry: the same names as the Node entry minus what needs node:fs, zlib or http.
export { loadMnist } from './load-mnist-browser';
export { mnistFromArrays, type FromArraysOptions } from './from-arrays';
export { mnistFromBinary } from './from-binary';
export { encodeMnistBinary, decodeMnistBinary } from './binary-format';
export { parseIdx, type IdxArray } from './idx';
export { MNIST_URL, MNIST_FILES, type MnistFileInfo } from './official-files';
export type {
  MnistData,
  MnistSplits,
  MnistArrays,
  MnistFileName,
  EmbeddedMnistOptions,
  MnistDirOptions,
  MnistUrlOptions,
  ProgressOption,
} from './types';
