import { Dense, Flatten } from '@neurona/layers';
import { Sequential } from '@neurona/models';
import { Adam, SGD } from '@neurona/optimizers';
import { setSeed } from '@neurona/tensor';

/** The two models of the course: a softmax perceptron and a one-hidden-layer MLP. */
export type ModelKind = 'perceptron' | 'mlp';

/** Every `ModelKind`, in the order the course introduces them. */
export const MODEL_KINDS: readonly ModelKind[] = ['perceptron', 'mlp'];

/** Options of `buildModel`. */
export interface BuildModelOptions {
  /** Learning rate of the optimizer; default 0.01 (SGD) for the perceptron, 0.001 (Adam) for the MLP. */
  learningRate?: number;
  /** Seed the weight initializers (calls `setSeed` of @neurona/tensor) for a reproducible start. */
  seed?: number;
}

/** Input images: 28 × 28 grey levels in [0, 1], one-hot labels over the 10 digits. */
export const IMAGE_SHAPE: readonly [28, 28] = [28, 28];
export const NUM_CLASSES = 10;

/** True when `kind` names a model this module builds (for URL parameters and CLI flags). */
export function isModelKind(kind: unknown): kind is ModelKind {
  return typeof kind === 'string' && (MODEL_KINDS as readonly string[]).includes(kind);
}

/**
 * Build and compile one of the course's MNIST models, the same way in Node and in the browser:
 *
 * - `'perceptron'`: Flatten → Dense(10, softmax), SGD(0.01), as the course writes it (7,850 weights);
 * - `'mlp'`: Flatten → Dense(128, relu) → Dense(10, softmax), Adam (101,770 weights).
 *
 * Both use categorical cross-entropy on one-hot labels and report accuracy, so `fit` gives
 * `loss`, `accuracy`, `val_loss`, `val_accuracy`. A backend must be set first
 * (`useNodeBackend()` or `useWebBackend()`).
 */
export function buildModel(kind: ModelKind, options: BuildModelOptions = {}): Sequential {
  if (!isModelKind(kind)) throw new Error(`buildModel: kind must be one of ${MODEL_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  if (options.seed !== undefined) setSeed(options.seed);
  const model = Sequential({ name: kind });
  model.add(Flatten({ inputShape: [...IMAGE_SHAPE] }));
  if (kind === 'mlp') model.add(Dense(128, { activation: 'relu' }));
  model.add(Dense(NUM_CLASSES, { activation: 'softmax' }));
  // The perceptron keeps the course's plain SGD; the MLP trains in a few epochs with Adam.
  const optimizer = kind === 'perceptron' ? SGD(options.learningRate ?? 0.01) : Adam(options.learningRate ?? 0.001);
  model.compile({ loss: 'categorical_crossentropy', optimizer, metrics: ['accuracy'] });
  return model;
}
