// The on-disk shapes of a saved model. They follow TensorFlow.js's `ModelArtifacts` and
// `model.json` so that tfjs-layers reads what we save (and its IOHandlers fit ours), plus one
// documented extension key, `neurona`, that tfjs ignores.

/** A JSON value as read from a model file. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
/** A JSON object as read from a model file. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The element types a weight file may hold. */
export type WeightDType = 'float32' | 'int32' | 'bool';

/** One tensor in a weight file: `{ name: 'dense/kernel', shape: [784, 10], dtype: 'float32' }`. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightDType;
  /** tfjs marks optimizer state saved with `includeOptimizer` as `'optimizer'`. */
  group?: 'model' | 'optimizer';
}

/** One group of `weightsManifest`: the files (`paths`, concatenated in order) and what they hold. */
export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

/**
 * neurona's extension of `model.json` (top-level key `neurona`; tfjs-layers ignores it):
 * the full compile configuration and the optimizer state, which Keras's `training_config` cannot
 * always express.
 */
export interface NeuronaExtension {
  /** 1 for this layout. */
  formatVersion: number;
  /** `compile` arguments as data: losses/metrics as names or `{ className, config }`. */
  trainingConfig?: SerializedCompile;
  /** The optimizer state (`optimizer.getWeights()`): its own files, read back in this order. */
  optimizerWeightsManifest?: WeightsManifestGroup[];
  /** True when only weights were saved (`saveWeights`, `ModelCheckpoint({ saveWeightsOnly })`). */
  weightsOnly?: boolean;
}

/** A loss, metric or optimizer as data. */
export interface SerializedObject {
  className: string;
  config: JsonObject;
}

/** `compile` arguments as data (camelCase, our serialized forms). */
export interface SerializedCompile {
  loss: SerializedLossEntry | SerializedLossEntry[] | Record<string, SerializedLossEntry>;
  metrics?: SerializedMetricEntry[] | SerializedMetricEntry[][] | Record<string, SerializedMetricEntry[]>;
  lossWeights?: number[] | Record<string, number>;
  optimizer: SerializedObject;
}

/** A loss by name (`'categorical_crossentropy'`) or as `{ className, config }`. */
export type SerializedLossEntry = string | SerializedObject;
/** A metric by name (`'accuracy'`, kept as written so History keys stay) or `{ className, config }`. */
export type SerializedMetricEntry = string | SerializedObject;

/**
 * Everything a save writes and a load reads, independent of where it is stored. The field names
 * are tfjs's `ModelArtifacts` (so a tfjs IOHandler can store it), with the optimizer state added.
 */
export interface ModelArtifacts {
  /** Keras/tfjs `model_config`: `{ class_name: 'Sequential' | 'Model', config }`; null for weights only. */
  modelTopology: JsonObject | null;
  /** `'layers-model'`. */
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  /** Keras's `training_config` (written when tfjs-layers can compile from it). */
  trainingConfig?: JsonObject;
  /** The model weights, in `weightData` order. */
  weightSpecs: WeightSpec[];
  /** The model weights' bytes (little-endian), back to back. tfjs may give a list of buffers. */
  weightData: ArrayBuffer | ArrayBuffer[];
  /** The extension (see `NeuronaExtension`). */
  neurona?: NeuronaExtension;
  /** The optimizer state's specs and bytes (the `neurona.optimizerWeightsManifest` content). */
  optimizerWeightSpecs?: WeightSpec[];
  optimizerWeightData?: ArrayBuffer;
}

/** What a save reports. */
export interface SaveResult {
  /** Where it went: a folder, a URL, an IndexedDB key... */
  location: string;
  /** Bytes of model.json, of the model weights and of the optimizer state. */
  modelJsonBytes: number;
  weightBytes: number;
  optimizerBytes: number;
}

/**
 * Where a model is stored, as tfjs's IOHandler: `save(artifacts)` writes, `load()` reads. Built-in
 * handlers: `fileSystem(dir)` (Node), `indexedDB(name)`, `browserDownloads(name)`, `http(url)`,
 * `browserFiles(files)`; or pass a string (`'./my-model'`, `'indexeddb://name'`, `'downloads://name'`,
 * `'https://.../model.json'`).
 */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}

/** The `model.json` document. */
export interface ModelJson {
  modelTopology: JsonObject | null;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: JsonObject;
  weightsManifest: WeightsManifestGroup[];
  neurona?: NeuronaExtension;
}
