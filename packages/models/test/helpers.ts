import { oneHot, randomNormal, setSeed, tensor1d, tidy, argMax, matMul, add } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';

/**
 * A learnable MNIST-shaped problem: x [n, 28, 28] in [0, 1], y one-hot [n, 10] from a fixed random
 * linear teacher (so a softmax perceptron can learn it).
 */
export function syntheticMnist(n: number, seed = 1): { x: Tensor; y: Tensor; labels: Tensor } {
  setSeed(seed);
  return tidy(() => {
    const flat = randomNormal([n, 784]).sigmoid();
    // centred inputs through a random teacher: balanced classes a perceptron can learn
    const teacher = randomNormal([784, 10]);
    const labels = argMax(add(matMul(flat.sub(0.5), teacher), randomNormal([n, 10], 0, 0.1)), 1);
    const x = flat.reshape([n, 28, 28]);
    return { x, y: oneHot(labels, 10).toFloat(), labels };
  });
}

/** A tiny regression problem y = x · w + b. */
export function linearData(n: number, features = 3, seed = 2): { x: Tensor; y: Tensor } {
  setSeed(seed);
  return tidy(() => {
    const x = randomNormal([n, features]);
    const w = tensor1d(Array.from({ length: features }, (_, i) => i + 1)).reshape([features, 1]);
    return { x, y: add(matMul(x, w), 0.5) };
  });
}
