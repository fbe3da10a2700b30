import type { Sequential } from '@neurona/models';
import { assembleModel, checkBuild } from './assemble';
import type { BuildModelOptions, ModelKind } from './kinds';

/**
 * `buildModel` for pages: the same model, with the convnet's layers (Conv2D, MaxPooling2D,
 * Reshape, Dropout) imported only when `kind` is `'cnn'`, so that a bundle which trains the
 * perceptron or the MLP does not carry them. Bad arguments reject with `buildModel`'s messages
 * (naming `buildModelAsync`) before anything loads.
 */
export async function buildModelAsync(kind: ModelKind, options: BuildModelOptions = {}): Promise<Sequential> {
  const filters = checkBuild('buildModelAsync', kind, options);
  const addConvnet = kind === 'cnn' ? (await import('./convnet')).addConvnet : null;
  return assembleModel(kind, options, filters, addConvnet);
}
