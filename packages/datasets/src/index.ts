// Node entry (package.json "exports" gives bundlers targeting browsers ./browser.ts instead).
export { loadMnist } from './node/load-mnist';
export { downloadMnist, defaultMnistCacheDir } from './node/download';
export { writeMnistBinary } from './node/write-binary';
export type { MnistFilePaths } from './node/idx-files';
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
