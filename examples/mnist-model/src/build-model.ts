import { Conv2D, Dense, Dropout, Flatten, MaxPooling2D, Reshape } from '@neurona/layers';
import { Sequential } from '@neurona/models';
import { Adam, SGD } from '@neurona/optimizers';
import { setSeed } from '@neurona/tensor';

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
const DEFAULT_ADAM_RATE = { mlp: 0.001, cnn: 0.005 } as const;

/** True when `kind` names a model this module builds (for URL parameters and CLI flags). */
export function isModelKind(kind: unknown): kind is ModelKind {
  return typeof kind === 'string' && (MODEL_KINDS as readonly string[]).includes(kind);
}

/**
 * Build and compile one of the course's MNIST models, the same way in Node and in the browser:
 *
 * - `'perceptron'`: Flatten → Dense(10, softmax), SGD(0.01), as the course writes it (7,850 weights);
 * - `'mlp'`: Flatten → Dense(128, relu) → Dense(10, softmax), Adam (101,770 weights);
 * - `'cnn'`: Keras's "Simple MNIST convnet" on the same `[28, 28]` images: Reshape([28, 28, 1]) →
 *   Conv2D(3 × 3, relu) → MaxPooling2D(2) → Conv2D(3 × 3, relu) → MaxPooling2D(2) → Flatten →
 *   Dropout(0.5) → Dense(10, softmax), Adam(0.005); 8 and 16 filters by default (`CNN_FILTERS`, 5,258
 *   weights), Keras's 32 and 64 with `filters: [32, 64]` (34,826 weights).
 *
 * All use categorical cross-entropy on one-hot labels and report accuracy, so `fit` gives
 * `loss`, `accuracy`, `val_loss`, `val_accuracy`. A backend must be set first
 * (`useNodeBackend()` or `useWebBackend()`).
 */
export function buildModel(kind: ModelKind, options: BuildModelOptions = {}): Sequential {
  if (!isModelKind(kind)) throw new Error(`buildModel: kind must be one of ${MODEL_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  const filters = options.filters ?? CNN_FILTERS;
  if (options.filters !== undefined && kind !== 'cnn') throw new Error(`buildModel: filters apply to the 'cnn' kind only, got kind ${JSON.stringify(kind)}`);
  if (filters.length !== 2 || !filters.every((f) => Number.isInteger(f) && f > 0)) {
    throw new Error(`buildModel: filters must be two positive integers, got ${JSON.stringify(filters)}`);
  }
  if (options.seed !== undefined) setSeed(options.seed);
  const model = Sequential({ name: kind });
  if (kind === 'cnn') addConvnet(model, filters);
  else model.add(Flatten({ inputShape: [...IMAGE_SHAPE] }));
  if (kind === 'mlp') model.add(Dense(128, { activation: 'relu' }));
  model.add(Dense(NUM_CLASSES, { activation: 'softmax' }));
  // The perceptron keeps the course's plain SGD; the MLP and the CNN train in a few epochs with Adam.
  const optimizer = kind === 'perceptron' ? SGD(options.learningRate ?? 0.01) : Adam(options.learningRate ?? DEFAULT_ADAM_RATE[kind]);
  model.compile({ loss: 'categorical_crossentropy', optimizer, metrics: ['accuracy'] });
  return model;
}

/** The convnet's feature extractor, up to its classifier: images `[28, 28]` get their channel axis first. */
function addConvnet(model: Sequential, [f1, f2]: readonly [number, number]): void {
  model.add(Reshape([...IMAGE_SHAPE, 1], { inputShape: [...IMAGE_SHAPE] }));
  model.add(Conv2D(f1, [3, 3], { activation: 'relu' }));
  model.add(MaxPooling2D({ poolSize: [2, 2] }));
  model.add(Conv2D(f2, [3, 3], { activation: 'relu' }));
  model.add(MaxPooling2D({ poolSize: [2, 2] }));
  model.add(Flatten());
  model.add(Dropout(0.5));
}
