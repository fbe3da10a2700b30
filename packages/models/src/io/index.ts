export { saveModel, saveWeights } from './save-model';
export { loadModel, loadWeights } from './load-model';
export type { SaveOptions } from './artifacts-write';
export type { LoadOptions, LoadWeightsOptions } from './artifacts-read';
export { modelToArtifacts } from './artifacts-write';
export { modelFromArtifacts } from './artifacts-read';
export { fileSystem } from './file-system';
export { http } from './http';
export type { HttpOptions } from './http';
export { browserFiles } from './browser-files';
export type { FileLike } from './browser-files';
export { browserDownloads } from './browser-downloads';
export { browserIndexedDB } from './indexed-db';
export { handlerFor } from './router';
export type { ModelLocation } from './router';
export { ModelFileError } from './errors';
export { registerModelFormat } from './formats';
export type { ModelFileFormat } from './formats';
export { buildModelFromTopology } from './build-model';
export type { BuildOptions } from './build-model';
export { parseModelJson } from './safe-json';
export { EXTENSION_PREFIX } from './keras-layers';
export type {
  IOHandler,
  ModelArtifacts,
  SaveResult,
  WeightSpec,
  WeightDType,
  WeightsManifestGroup,
  ModelJson,
  NeuronaExtension,
  SerializedCompile,
  SerializedObject,
  JsonValue,
  JsonObject,
} from './types';
