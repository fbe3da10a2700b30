import type { LayersModel } from '../model';
import { modelToArtifacts, weightsToArtifacts } from './artifacts-write';
import type { SaveOptions } from './artifacts-write';
import { handlerFor } from './router';
import type { ModelLocation } from './router';
import { formatFor } from './formats';
import { checkOptionTypes } from '@neurona/common';
import type { SaveResult } from './types';

/**
 * Save a model: architecture, weights, compile configuration and optimizer state, in
 * TensorFlow.js's Layers format (tfjs-layers' `loadLayersModel` reads it).
 * `await saveModel(model, './my-model')` writes a folder atomically (Node);
 * `'indexeddb://my-model'` and `'downloads://my-model'` save in a browser; any tfjs-style
 * `IOHandler` works too. A path ending in `.keras` or `.h5` writes a Keras file once
 * `@neurona/keras` is imported.
 */
export async function saveModel(model: LayersModel, location: ModelLocation, options: SaveOptions = {}): Promise<SaveResult> {
  const format = formatFor(location, 'saveModel');
  if (format) return format.saveModel(model, location as string, options);
  checkOptionTypes('saveModel', options, { includeOptimizer: 'boolean' });
  const handler = handlerFor(location, 'save');
  const artifacts = await modelToArtifacts(model, options);
  return (handler.save as NonNullable<typeof handler.save>)(artifacts);
}

/** Save only the weights (no architecture, no optimizer state); read them back with `loadWeights`. */
export async function saveWeights(model: LayersModel, location: ModelLocation): Promise<SaveResult> {
  const format = formatFor(location, 'saveWeights');
  if (format) return format.saveWeights(model, location as string);
  const handler = handlerFor(location, 'save');
  const artifacts = await weightsToArtifacts(model);
  return (handler.save as NonNullable<typeof handler.save>)(artifacts);
}
