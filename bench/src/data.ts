// The synthetic data set and initial weights, identical for every implementation and backend.
import { createRng } from '@neurona/tensor';
import type { CaseName } from './types';

export const INPUT = 784;
export const CLASSES = 10;

/** `n` MNIST-shaped samples: x in [0, 1) `[n, 784]` flat, y one-hot `[n, 10]` flat. */
export interface Dataset {
  n: number;
  x: Float32Array;
  y: Float32Array;
}

/**
 * Random images with a class-dependent pattern, so the loss goes down as on real digits
 * (a loss that stays at ln 10 would not show that the implementations did the same work).
 */
export function makeDataset(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const templates = new Float32Array(CLASSES * INPUT);
  for (let i = 0; i < templates.length; i++) templates[i] = rng() < 0.3 ? 1 : 0;
  const x = new Float32Array(n * INPUT);
  const y = new Float32Array(n * CLASSES);
  for (let s = 0; s < n; s++) {
    const c = Math.floor(rng() * CLASSES);
    y[s * CLASSES + c] = 1;
    const t = c * INPUT;
    const o = s * INPUT;
    for (let j = 0; j < INPUT; j++) x[o + j] = 0.7 * rng() + 0.3 * templates[t + j];
  }
  return { n, x, y };
}

/** A weight tensor's shape and values, as Keras orders them: kernel then bias, layer by layer. */
export interface WeightSpec {
  shape: number[];
  values: Float32Array;
}

/** Layer widths of a case: input, hidden..., output. */
export function layerSizes(c: CaseName): number[] {
  return c === 'perceptron' ? [INPUT, CLASSES] : c === 'mlp_adam' ? [INPUT, 256, CLASSES] : [INPUT, 128, CLASSES];
}

/**
 * How a case trains: the optimizer (SGD at learning rate 0.01, or Adam at 0.001 with Keras's
 * epsilon 1e-7) and whether the samples are shuffled before each epoch. `mlp_adam` is the
 * issue's "realistic" run: 784-256-10, Adam, shuffling.
 */
export function trainingOf(c: CaseName): { optimizer: 'sgd' | 'adam'; learningRate: number; shuffle: boolean } {
  return c === 'mlp_adam' ? { optimizer: 'adam', learningRate: 0.001, shuffle: true } : { optimizer: 'sgd', learningRate: 0.01, shuffle: false };
}

/** Glorot-uniform kernels and zero biases (Keras's defaults) from a fixed seed. */
export function initialWeights(c: CaseName, seed: number): WeightSpec[] {
  const rng = createRng(seed);
  const sizes = layerSizes(c);
  const out: WeightSpec[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const k = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < k.length; i++) k[i] = (rng() * 2 - 1) * limit;
    out.push({ shape: [fanIn, fanOut], values: k }, { shape: [fanOut], values: new Float32Array(fanOut) });
  }
  return out;
}

/** Activation of each Dense layer of a case, in order. */
export function activations(c: CaseName): ('relu' | 'softmax')[] {
  return c === 'perceptron' ? ['softmax'] : ['relu', 'softmax'];
}
