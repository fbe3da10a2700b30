import { add, clipByValue, createRng, gather, matMul, oneHot, randomNormal, randomUniform, setSeed, tensor1d, tidy } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';

/**
 * A learnable MNIST-shaped problem: x [n, 28, 28] in [0, 1], y one-hot [n, 10]. Each class has a
 * random binary "digit" prototype; samples are the prototype with pixel noise (as handwriting
 * varies), so a softmax perceptron learns it well above chance in a few epochs.
 */
export function syntheticMnist(n: number, seed = 1, noise = 0.6): { x: Tensor; y: Tensor; labels: Tensor } {
  setSeed(seed);
  return tidy(() => {
    const prototypes = randomUniform([10, 784]).greater(0.75).toFloat();
    const labelValues = new Int32Array(n);
    const rng = createRng(seed);
    for (let i = 0; i < n; i++) labelValues[i] = Math.floor(rng() * 10);
    const labels = tensor1d(labelValues, 'int32');
    const clean = gather(prototypes, labels);
    const x = clipByValue(add(clean.mul(1 - noise), randomUniform([n, 784], 0, noise)), 0, 1).reshape([n, 28, 28]);
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
