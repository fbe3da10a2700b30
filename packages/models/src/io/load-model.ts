import type { LayersModel } from '../model';
import { modelFromArtifacts, weightsIntoModel } from './artifacts-read';
import type { LoadOptions, LoadWeightsOptions } from './artifacts-read';
import { checkOptionTypes } from '@neurona/common';
import { handlerFor } from './router';
import type { ModelLocation } from './router';
import { formatFor } from './formats';

/**
 * Load a model saved by `saveModel` (or by tfjs-layers / Keras in the Layers format), compiled
 * and with its optimizer state, ready to continue training: `const model = await loadModel('./my-model')`.
 * Layers, losses, metrics and optimizers are found by class name in their registries (register
 * custom ones first); nothing in the file is evaluated. A malformed or hostile file is refused
 * with a `ModelFileError` that says what is wrong. A path or URL ending in `.keras` or `.h5` goes
 * to the Keras format once `@neurona/keras` is imported.
 */
export async function loadModel(location: ModelLocation, options: LoadOptions = {}): Promise<LayersModel> {
  const format = formatFor(location, 'loadModel');
  if (format) return format.loadModel(location as string, options);
  checkOptionTypes('loadModel', options, { compile: 'boolean', allowNonFinite: 'boolean' });
  const handler = handlerFor(location, 'load');
  const artifacts = await (handler.load as NonNullable<typeof handler.load>)();
  return modelFromArtifacts(artifacts, options);
}

/**
 * Load weights saved by `saveWeights` (or a full save) into a built model with the same layers:
 * matched by name (`dense/kernel`) when every weight of the model is in the file, else in order,
 * as Keras's `load_weights`; shapes must match either way. NaN or ±Infinity in a weight is refused
 * unless `{ allowNonFinite: true }`.
 */
export async function loadWeights(model: LayersModel, location: ModelLocation, options: LoadWeightsOptions = {}): Promise<void> {
  const format = formatFor(location, 'loadWeights');
  if (format) return format.loadWeights(model, location as string, options);
  checkOptionTypes('loadWeights', options, { allowNonFinite: 'boolean' });
  const handler = handlerFor(location, 'load');
  const artifacts = await (handler.load as NonNullable<typeof handler.load>)();
  weightsIntoModel(model, artifacts, options);
}
