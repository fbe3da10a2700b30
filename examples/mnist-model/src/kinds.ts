// The course's MNIST models by name, and their sizes and defaults: no layer code, so a page can
// read them without bundling every model's layers.
/** The models of the course: a softmax perceptron, a one-hidden-layer MLP and Keras's small convnet. */
export type ModelKind = 'perceptron' | 'mlp' | 'cnn';

/** Every `ModelKind`, in the order the course introduces them. */
export const MODEL_KINDS: readonly ModelKind[] = ['perceptron', 'mlp', 'cnn'];

/** Options of `buildModel`. */
export interface BuildModelOptions {
  /** Learning rate of the optimizer; default 0.01 (SGD) for the perceptron, 0.001 (Adam) for the MLP, 0.005 (Adam) for the CNN. */
  learningRate?: number;
  /** Seed the weight initializers (calls `setSeed` of @neurona/tensor) for a reproducible start. */
  seed?: number;
  /** The CNN's filters in its two convolutions; default `CNN_FILTERS` ([8, 16]). Only for `'cnn'`. */
  filters?: readonly [number, number];
}

/** Input images: 28 × 28 grey levels in [0, 1], one-hot labels over the 10 digits. */
export const IMAGE_SHAPE: readonly [28, 28] = [28, 28];
export const NUM_CLASSES = 10;

/**
 * Default filters of the CNN's two convolutions: a quarter of the 32 and 64 of Keras's "Simple
 * MNIST convnet" (examples/mnist-cnn has the full width). The page must train on software WebGPU
 * (SwiftShader, the only WebGPU of a machine without a GPU, where its tests run), where the full
 * width took ~0.3 s per training digit and epoch; a quarter does 16× less work in the second
 * convolution. `buildModel('cnn', { filters: [32, 64] })` builds Keras's.
 */
export const CNN_FILTERS: readonly [number, number] = [8, 16];

/**
 * Adam's default rate per kind. Keras's 0.001 for the MLP; the narrow CNN on the page's few
 * thousand digits learns faster at 0.005 (2,000 digits, 3 epochs of 32: validation accuracy 0.94
 * against 0.87 at 0.001, README.md).
 */
export const DEFAULT_ADAM_RATE = { mlp: 0.001, cnn: 0.005 } as const;

/** True when `kind` names a model this module builds (for URL parameters and CLI flags). */
export function isModelKind(kind: unknown): kind is ModelKind {
  return typeof kind === 'string' && (MODEL_KINDS as readonly string[]).includes(kind);
}

