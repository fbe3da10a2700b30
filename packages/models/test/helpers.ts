import { add, clipByValue, createRng, dispose, gather, matMul, oneHot, randomNormal, randomUniform, setSeed, tensor, tensor1d, tensor2d, tidy } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { LayersModel } from '../src/model';

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

/** What the seeded-weight helpers read and write of a model. */
interface WeightHolder {
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
}

/**
 * Uniform values in ±`scale` from a fixed seed, one tensor per weight of `model` (not zero biases,
 * so the bias path is exercised): the same start for a compiled and a tape run.
 */
export function seededWeights(model: WeightHolder, seed = 11, scale = 0.5): Tensor[] {
  const rng = createRng(seed);
  return model.getWeights().map((w) => {
    const t = tensor(new Float32Array(w.size).map(() => (rng() * 2 - 1) * scale), w.shape);
    w.dispose();
    return t;
  });
}

/** Give `model` the weights of `seededWeights` (the tensors made for it are disposed). */
export function setSeededWeights(model: WeightHolder, seed = 11, scale = 0.5): void {
  const init = seededWeights(model, seed, scale);
  model.setWeights(init);
  dispose(init);
}

/** The current values of every weight of `model`, read synchronously (cpu/wasm). */
export function weightsOf(model: WeightHolder): Float32Array[] {
  const ws = model.getWeights();
  const out = ws.map((w) => Float32Array.from(w.dataSync()));
  dispose(ws);
  return out;
}

/**
 * `n` rows of `features` uniform values in ±1 and a class per row (row i mostly class i·7 mod
 * `classes`, so a small model learns it): one-hot float32 targets, or int32 class indices.
 */
export function classificationData(n: number, features: number, classes: number, seed = 3, sparse = false): { x: Tensor; y: Tensor } {
  const rng = createRng(seed);
  const x = new Float32Array(n * features).map(() => rng() * 2 - 1);
  const labels = Array.from({ length: n }, (_, i) => (i * 7 + Math.floor(rng() * 2)) % classes);
  if (sparse) return { x: tensor2d(x, [n, features]), y: tensor(Int32Array.from(labels), [n], 'int32') };
  const y = new Float32Array(n * classes);
  labels.forEach((l, i) => (y[i * classes + l] = 1));
  return { x: tensor2d(x, [n, features]), y: tensor2d(y, [n, classes]) };
}

/** What a trained model holds, read synchronously (cpu/wasm): its weights, its optimizer's and `model.metrics`' results. */
export function trainedState(model: LayersModel): { weights: Float32Array[]; opt: Float32Array[]; metricResults: number[] } {
  const weights = weightsOf(model);
  const opt = weightsOf({ getWeights: () => model.optimizer.getWeights(), setWeights: () => undefined });
  const metricResults = model.metrics.map((m) => {
    const r = m.result();
    const v = r.dataSync()[0];
    r.dispose();
    return v;
  });
  return { weights, opt, metricResults };
}
