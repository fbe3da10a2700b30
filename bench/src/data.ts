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
  if (c === 'mlp_adam') return { optimizer: 'adam', learningRate: 0.001, shuffle: true };
  // the cnn trains as Keras's example (Adam at its default rate), unshuffled as the other cases
  if (c === 'cnn') return { optimizer: 'adam', learningRate: 0.001, shuffle: false };
  return { optimizer: 'sgd', learningRate: 0.01, shuffle: false };
}

/** The weight shapes of Keras's "Simple MNIST convnet", in get_weights() order. */
export const CNN_SHAPES: number[][] = [[3, 3, 1, 32], [32], [3, 3, 32, 64], [64], [1600, 10], [10]];

/** Glorot-uniform kernels (fans as Keras counts them for convolutions) and zero biases. */
function cnnWeights(seed: number): WeightSpec[] {
  const rng = createRng(seed);
  return CNN_SHAPES.map((shape) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (shape.length > 1) {
      const field = shape.slice(0, -2).reduce((a, b) => a * b, 1);
      const limit = Math.sqrt(6 / (field * (shape[shape.length - 2] + shape[shape.length - 1])));
      for (let i = 0; i < values.length; i++) values[i] = (rng() * 2 - 1) * limit;
    }
    return { shape, values };
  });
}

/** Glorot-uniform kernels and zero biases (Keras's defaults) from a fixed seed. */
export function initialWeights(c: CaseName, seed: number): WeightSpec[] {
  if (c === 'cnn') return cnnWeights(seed);
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
