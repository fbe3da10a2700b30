import type { MnistFileName } from './types';

/** The mirror TensorFlow uses for the original files (yann.lecun.com now asks for a login). */
export const MNIST_URL = 'https://storage.googleapis.com/cvdf-datasets/mnist/';

/** One official file: its name (served as `<name>.gz`), gzip size and the gzip file's SHA-256. */
export interface MnistFileInfo {
  name: MnistFileName;
  gzBytes: number;
  sha256: string;
}

/** The official distribution, with the SHA-256 of each `.gz` file as published by TensorFlow/torchvision. */
export const MNIST_FILES: readonly MnistFileInfo[] = [
  { name: 'train-images-idx3-ubyte', gzBytes: 9_912_422, sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609' },
  { name: 'train-labels-idx1-ubyte', gzBytes: 28_881, sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c' },
  { name: 't10k-images-idx3-ubyte', gzBytes: 1_648_877, sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6' },
  { name: 't10k-labels-idx1-ubyte', gzBytes: 4_542, sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6' },
];
