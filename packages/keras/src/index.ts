// @neurona/keras: Keras 3 `.keras` files and legacy `.h5` / `.weights.h5` files, read and written
// in Node and the browser. Importing it registers the format with @neurona/models' loadModel.
export { loadKerasModel, loadKerasWeights } from './load';
export type { KerasLoadOptions } from './load';
export { saveKerasModel, saveKerasWeights, kerasModelBytes, kerasWeightsBytes, legacyH5Bytes, KERAS_FORMAT_VERSION } from './save';
export type { KerasSaveOptions } from './save';
export type { KerasSource, BlobLike } from './source';
export { registerKerasFunction } from './config/lambda';
export type { KerasFunction } from './config/lambda';
export { LAYER_RULES } from './config/layer-table';
export type { LayerRule } from './config/layer-table';
export { kerasFormat } from './format';
