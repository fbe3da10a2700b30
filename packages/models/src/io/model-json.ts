// `model.json`, the document every stored form shares: checked on the way in, built on the way out.
import { concatBuffers } from './weight-codec';
import { ModelFileError, show } from './errors';
import { assertPlainJson, asInt, asObject, isObject, own } from './read';
import { parseModelJson } from './safe-json';
import { checkManifest, totalBytes } from './weight-specs';
import type { JsonObject, ModelArtifacts, ModelJson, NeuronaExtension, WeightSpec, WeightsManifestGroup } from './types';

/** File names a save writes beside model.json. */
export const WEIGHTS_FILE = 'group1-shard1of1.bin';
export const OPTIMIZER_FILE = 'optimizer-shard1of1.bin';
/** The format name tfjs-layers expects. */
export const LAYERS_FORMAT = 'layers-model';

function checkExtension(raw: unknown, where: string): NeuronaExtension {
  const o = asObject(raw, where);
  const ext: NeuronaExtension = { formatVersion: asInt(own(o, 'formatVersion'), `${where}.formatVersion`, 1, 1) };
  const tc = own(o, 'trainingConfig');
  if (tc !== undefined && tc !== null) ext.trainingConfig = asObject(tc, `${where}.trainingConfig`) as unknown as NeuronaExtension['trainingConfig'];
  const om = own(o, 'optimizerWeightsManifest');
  if (om !== undefined && om !== null) ext.optimizerWeightsManifest = checkManifest(om, `${where}.optimizerWeightsManifest`);
  const wo = own(o, 'weightsOnly');
  if (wo !== undefined && typeof wo !== 'boolean') throw new ModelFileError(`${where}.weightsOnly must be true or false, got ${show(wo)}`);
  if (wo === true) ext.weightsOnly = true;
  return ext;
}

/** The parts of a parsed model.json, checked (topology shape, manifest, extension); no bytes read yet. */
export function checkModelJson(raw: unknown, what = 'model.json'): ModelJson {
  assertPlainJson(raw, what);
  const o = asObject(raw, what);
  const topology = own(o, 'modelTopology');
  if (topology !== null && topology !== undefined && !isObject(topology)) {
    throw new ModelFileError(`${what}: modelTopology must be an object, got ${show(topology)}`);
  }
  const format = own(o, 'format');
  if (format !== undefined && format !== null && format !== LAYERS_FORMAT) {
    const hint = format === 'graph-model' ? ' (a tfjs graph model is not a Layers model; neurona loads Layers models only)' : '';
    throw new ModelFileError(`${what}: format must be "${LAYERS_FORMAT}", got ${show(format)}${hint}`);
  }
  const manifestRaw = own(o, 'weightsManifest');
  const json: ModelJson = {
    modelTopology: (topology as JsonObject | undefined) ?? null,
    weightsManifest: manifestRaw === undefined || manifestRaw === null ? [] : checkManifest(manifestRaw, `${what}: weightsManifest`),
  };
  if (typeof format === 'string') json.format = format;
  for (const k of ['generatedBy', 'convertedBy'] as const) {
    const v = own(o, k);
    if (typeof v === 'string') json[k] = v;
  }
  const tc = own(o, 'trainingConfig');
  if (tc !== undefined && tc !== null) json.trainingConfig = asObject(tc, `${what}: trainingConfig`);
  const ext = own(o, 'neurona');
  if (ext !== undefined && ext !== null) json.neurona = checkExtension(ext, `${what}: neurona`);
  if (json.modelTopology === null && !json.neurona?.weightsOnly) {
    throw new ModelFileError(`${what} has no modelTopology; expected the model's architecture ({ class_name, config })`);
  }
  return json;
}

/** Parse and check a model.json text. */
export function readModelJson(text: string, what = 'model.json'): ModelJson {
  return checkModelJson(parseModelJson(text, what), what);
}

/** Reads the files of a manifest, concatenated; it is told how many bytes they must hold in all. */
export type ReadWeightFiles = (paths: string[], expectedBytes: number, what: string) => Promise<ArrayBuffer>;

function specsOf(groups: readonly WeightsManifestGroup[]): WeightSpec[] {
  return groups.flatMap((g) => g.weights);
}

/** The artifacts of a checked model.json, reading its weight files through `read`. */
export async function artifactsFromModelJson(json: ModelJson, read: ReadWeightFiles): Promise<ModelArtifacts> {
  const weightSpecs = specsOf(json.weightsManifest);
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  const artifacts: ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs,
    weightData: paths.length > 0 ? await read(paths, totalBytes(weightSpecs), 'model weights') : new ArrayBuffer(0),
  };
  if (json.format !== undefined) artifacts.format = json.format;
  if (json.generatedBy !== undefined) artifacts.generatedBy = json.generatedBy;
  if (json.convertedBy !== undefined) artifacts.convertedBy = json.convertedBy;
  if (json.trainingConfig !== undefined) artifacts.trainingConfig = json.trainingConfig;
  if (json.neurona) {
    artifacts.neurona = json.neurona;
    const om = json.neurona.optimizerWeightsManifest;
    if (om) {
      artifacts.optimizerWeightSpecs = specsOf(om);
      const opaths = om.flatMap((g) => g.paths);
      artifacts.optimizerWeightData = opaths.length > 0 ? await read(opaths, totalBytes(artifacts.optimizerWeightSpecs), 'optimizer state') : new ArrayBuffer(0);
    }
  }
  return artifacts;
}

/** The model.json of some artifacts whose weights are stored in `weightsPath` and `optimizerPath`. */
export function modelJsonFor(artifacts: ModelArtifacts, weightsPath = WEIGHTS_FILE, optimizerPath = OPTIMIZER_FILE): ModelJson {
  const json: ModelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? LAYERS_FORMAT,
    generatedBy: artifacts.generatedBy ?? 'neurona',
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: artifacts.weightSpecs.length > 0 ? [weightsPath] : [], weights: artifacts.weightSpecs }],
  };
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.neurona) {
    json.neurona = { ...artifacts.neurona };
    if (artifacts.optimizerWeightSpecs) {
      json.neurona.optimizerWeightsManifest = [
        { paths: artifacts.optimizerWeightSpecs.length > 0 ? [optimizerPath] : [], weights: artifacts.optimizerWeightSpecs },
      ];
    }
  }
  return json;
}

/** The bytes of the model weights as one buffer. */
export function weightBytes(artifacts: ModelArtifacts): ArrayBuffer {
  return concatBuffers(artifacts.weightData);
}
