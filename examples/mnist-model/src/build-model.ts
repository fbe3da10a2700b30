import type { Sequential } from '@neurona/models';
import { assembleModel, checkBuild } from './assemble';
import { addConvnet } from './convnet';
import type { BuildModelOptions, ModelKind } from './kinds';

export { CNN_FILTERS, IMAGE_SHAPE, isModelKind, MODEL_KINDS, NUM_CLASSES, type BuildModelOptions, type ModelKind } from './kinds';

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
  return assembleModel(kind, options, checkBuild('buildModel', kind, options), addConvnet);
}
