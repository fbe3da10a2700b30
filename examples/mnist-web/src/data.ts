import { mnistFromBinary } from '@neurona/datasets';
import { trainValTestSplit, type TrainValTestSplit } from '@neurona/data-split';
import type { Tensor } from '@neurona/tensor';
// Vite copies the embedded digits (7.85 MB, 10,000 images) into dist/assets: no network at run time.
import binUrl from '@neurona/datasets/mnist-10k.bin?url';

/**
 * The first `samples` embedded digits (a class-balanced prefix), split 70/10/20 into train,
 * validation and test, stratified, with the seed the course's examples use.
 */
export async function loadSplit(samples: number): Promise<TrainValTestSplit<Tensor, Tensor>> {
  const res = await fetch(binUrl);
  if (!res.ok) throw new Error(`fetching the MNIST digits (${binUrl}) failed: HTTP ${res.status}`);
  const { x, y } = mnistFromBinary(await res.arrayBuffer(), { limit: samples });
  try {
    return trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
  } finally {
    x.dispose();
    y.dispose();
  }
}
