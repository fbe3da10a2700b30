import { decodeMnistBinary } from './binary-format';
import { mnistArraysToTensors } from './from-arrays';
import type { MnistData } from './types';

/**
 * Tensors from neurona's compact MNIST binary, already fetched: in a browser,
 * `mnistFromBinary(await (await fetch(binUrl)).arrayBuffer())` where `binUrl` is the static asset
 * `@neurona/datasets/mnist-10k.bin`. Same result as `loadMnist()` in Node.
 */
export function mnistFromBinary(bytes: ArrayBuffer | Uint8Array, options: { limit?: number } = {}): MnistData {
  return mnistArraysToTensors(decodeMnistBinary(bytes), options.limit, 'mnistFromBinary');
}
