// The Keras format for the models package's `loadModel`/`saveModel`/`loadWeights`/`saveWeights`:
// registered when this package is imported, so `loadModel('model.keras')` works after
// `import '@neurona/keras'`.
import { registerModelFormat } from '@neurona/models';
import type { ModelFileFormat } from '@neurona/models';
import { loadKerasModel, loadKerasWeights } from './load';
import { saveKerasModel, saveKerasWeights } from './save';

/** The Keras file format (`.keras`, `.h5`, `.hdf5`, `.weights.h5`) for the models package. */
export const kerasFormat: ModelFileFormat = {
  name: 'Keras (.keras, .h5)',
  handles: (location) => /\.(keras|h5|hdf5)$/i.test(location),
  loadModel: (location, options) => loadKerasModel(location, options),
  saveModel: (model, location, options) =>
    /\.weights\.h5$/i.test(location) ? saveKerasWeights(model, location) : saveKerasModel(model, location, options),
  loadWeights: (model, location, options) => loadKerasWeights(model, location, options),
  saveWeights: (model, location) => {
    if (!/\.weights\.h5$/i.test(location)) throw new Error(`saveWeights("${location}"): Keras weights files end in .weights.h5`);
    return saveKerasWeights(model, location);
  },
};

registerModelFormat(kerasFormat);
