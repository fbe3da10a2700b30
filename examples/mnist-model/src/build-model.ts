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
  /** Learning rate of the optimizer; default 0.01 (SGD) for the perceptron, 0.001 (Adam) for the MLP and the CNN. */
  learningRate?: number;
  /** Seed the weight initializers (calls `setSeed` of @neurona/tensor) for a reproducible start. */
  seed?: number;
}

/** Input images: 28 × 28 grey levels in [0, 1], one-hot labels over the 10 digits. */
export const IMAGE_SHAPE: readonly [28, 28] = [28, 28];
export const NUM_CLASSES = 10;

/**
 * Filters of the CNN's two convolutions. Keras's "Simple MNIST convnet" has 32 and 64; FILL
 */
export const CNN_FILTERS: readonly [number, number] = [32, 64];

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
 *   Dropout(0.5) → Dense(10, softmax), Adam, with `CNN_FILTERS` filters.
 *
 * All use categorical cross-entropy on one-hot labels and report accuracy, so `fit` gives
 * `loss`, `accuracy`, `val_loss`, `val_accuracy`. A backend must be set first
 * (`useNodeBackend()` or `useWebBackend()`).
 */
export function buildModel(kind: ModelKind, options: BuildModelOptions = {}): Sequential {
  if (!isModelKind(kind)) throw new Error(`buildModel: kind must be one of ${MODEL_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  if (options.seed !== undefined) setSeed(options.seed);
  const model = Sequential({ name: kind });
  if (kind === 'cnn') addConvnet(model);
  else model.add(Flatten({ inputShape: [...IMAGE_SHAPE] }));
  if (kind === 'mlp') model.add(Dense(128, { activation: 'relu' }));
  model.add(Dense(NUM_CLASSES, { activation: 'softmax' }));
  // The perceptron keeps the course's plain SGD; the MLP and the CNN train in a few epochs with Adam.
  const optimizer = kind === 'perceptron' ? SGD(options.learningRate ?? 0.01) : Adam(options.learningRate ?? 0.001);
  model.compile({ loss: 'categorical_crossentropy', optimizer, metrics: ['accuracy'] });
  return model;
}

/** The convnet's feature extractor, up to its classifier: images `[28, 28]` get their channel axis first. */
function addConvnet(model: Sequential): void {
  const [f1, f2] = CNN_FILTERS;
  model.add(Reshape([...IMAGE_SHAPE, 1], { inputShape: [...IMAGE_SHAPE] }));
  model.add(Conv2D(f1, [3, 3], { activation: 'relu' }));
  model.add(MaxPooling2D({ poolSize: [2, 2] }));
  model.add(Conv2D(f2, [3, 3], { activation: 'relu' }));
  model.add(MaxPooling2D({ poolSize: [2, 2] }));
  model.add(Flatten());
  model.add(Dropout(0.5));
}
