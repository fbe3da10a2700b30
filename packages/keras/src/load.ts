// Keras files into neurona: `.keras` archives (Keras 3), legacy `.h5` models (Keras 1, 2, 3) and
// weights-only `.weights.h5` / `.h5` files. The format is recognised from the bytes, not the name.
import { buildModelFromTopology, ModelFileError, parseModelJson } from '@neurona/models';
import type { CompileArgs, LayersModel } from '@neurona/models';
import { readKerasArchive } from './archive';
import { compileFromKeras } from './config/compile';
import { asObject, isObject, own, show } from './config/json';
import type { JsonObject } from './config/json';
import { placedLayers } from './config/layer-order';
import { ruleOf } from './config/layer-table';
import { topologyFromKeras } from './config/topology-read';
import type { FileLayer } from './config/topology-read';
import { isHdf5, readH5 } from './h5/read';
import { at } from './h5/tree';
import type { H5Dataset, H5Group } from './h5/tree';
import { readSource } from './source';
import type { KerasSource } from './source';
import { assignLayerWeights } from './weights/assign';
import { checkOptions } from '@neurona/common';
import type { LayerValues } from './weights/assign';
import { restoreOptimizerState } from './weights/optimizer-state';
import { isZip } from './zip/read';

/** Options of `loadKerasModel`. */
export interface KerasLoadOptions {
  /** Compile from the file's training configuration and restore the optimizer state. Default true. */
  compile?: boolean;
  /**
   * Keras's safe_mode. Default true. neurona never runs code from a file either way: a Lambda
   * layer loads only when its named function was registered with `registerKerasFunction`.
   */
  safeMode?: boolean;
  /** Told when something is skipped as Keras would skip it (optimizer state that does not fit). Default console.warn. */
  onWarning?: (message: string) => void;
  /** The fetch used for URLs (default the global one). */
  fetch?: typeof fetch;
  /** Accept weights that hold NaN or ±Infinity (refused by default, naming the weight). */
  allowNonFinite?: boolean;
}

const LOAD_OPTIONS = ['compile', 'safeMode', 'onWarning', 'fetch', 'allowNonFinite'] as const;

/** The datasets `0`, `1`, ... of a `vars` group, in order. */
function varsOf(g: H5Group | undefined, where: string): H5Dataset[] {
  if (!g) return [];
  const out: H5Dataset[] = [];
  for (let i = 0; i < g.children.size; i++) {
    const d = g.children.get(String(i));
    if (!d || d.kind !== 'dataset') throw new ModelFileError(`${where}: expected datasets named 0 to ${g.children.size - 1}, found ${[...g.children.keys()].slice(0, 10).join(', ')}`);
    out.push(d);
  }
  return out;
}

function groupAt(root: H5Group, path: string): H5Group | undefined {
  const g = at(root, path);
  if (g && g.kind !== 'group') throw new ModelFileError(`${path} is a dataset; expected a group`);
  return g;
}

/** The weights of each layer in a Keras 3 weights file (`layers/<path>/vars/<i>`). */
function keras3LayerValues(root: H5Group, layers: readonly FileLayer[], what: string): Map<string, LayerValues> {
  const out = new Map<string, LayerValues>();
  const matched = new Set<string>();
  for (const l of layers) {
    const rule = ruleOf(l.className);
    const groups = rule.weightGroups ? rule.weightGroups(Number.MAX_SAFE_INTEGER).map((g) => g.path) : ['vars'];
    const values = groups.flatMap((p) => varsOf(groupAt(root, `${l.path}/${p}`), `${what}: ${l.path}/${p}`));
    out.set(l.name, { values, where: `${l.path}/${groups.join('+')}` });
    matched.add(l.path.slice('layers/'.length).split('/')[0]);
  }
  const layersGroup = groupAt(root, 'layers');
  for (const [name, child] of layersGroup?.children ?? []) {
    if (matched.has(name)) continue;
    const vars = child.kind === 'group' ? at(child, 'vars') : child;
    if (vars && (vars.kind === 'dataset' || vars.children.size > 0)) {
      throw new ModelFileError(`${what}: the weights file has weights at layers/${name}, which no layer of the model's config is saved under`);
    }
  }
  return out;
}

/** The weights of each layer in a legacy file (`<group>/<layer>` with a `weight_names` attribute). */
function legacyLayerValues(weightsRoot: H5Group, names: readonly string[], where: string, nestedModels: ReadonlySet<string> = new Set()): Map<string, LayerValues> {
  const out = new Map<string, LayerValues>();
  for (const name of names) {
    // a layer of a nested model (`outer/inner`): Keras keeps all the nested model's weights in the
    // outer group, named `[outer/]inner/var`; the inner layer's are those with its name as a segment
    const [outer, inner] = name.includes('/') ? [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)] : [name, null];
    if (inner !== null && inner.includes('/')) throw new ModelFileError(`${where}: models nested two deep are not supported in legacy .h5 files (layer ${name}); use a .keras file`);
    const g = groupAt(weightsRoot, outer);
    if (!g) continue;
    const wn = own(g.attrs as JsonObject, 'weight_names');
    const all = Array.isArray(wn) ? wn : [];
    const list = inner === null ? all : all.filter((n) => typeof n === 'string' && n.split('/').slice(0, -1).includes(inner));
    const values = list.map((n, i) => {
      if (typeof n !== 'string') throw new ModelFileError(`${where}/${name}: weight_names[${i}] is not a name`);
      const d = at(g, n);
      if (!d || d.kind !== 'dataset') throw new ModelFileError(`${where}/${name}: weight "${n}" listed in weight_names is missing`);
      return d;
    });
    out.set(name, { values: nestedModels.has(name) ? [] : values, where: `${where}/${name}` });
  }
  return out;
}

function stringAttr(g: H5Group, name: string, what: string): string | null {
  const v = own(g.attrs as JsonObject, name);
  if (v === undefined) return null;
  if (typeof v !== 'string') throw new ModelFileError(`${what}: attribute ${name} must be text, got ${show(v)}`);
  return v;
}

interface Parsed {
  modelConfig: JsonObject;
  trainingConfig: JsonObject | null;
  layerValues: (layers: readonly FileLayer[]) => Map<string, LayerValues>;
  optimizerValues: H5Dataset[];
  kerasVersion: string;
  assets: Map<string, Uint8Array>;
}

const VOCABULARY_LAYERS = new Set(['StringLookup', 'IntegerLookup', 'TextVectorization']);

/**
 * Keras saves the vocabulary of an adapted lookup layer as an asset
 * (`assets/<layer path>/vocabulary.txt`, one term a line, special tokens first) and writes
 * `vocabulary: null` in its config: put the terms back into the config neurona builds from.
 */
function restoreVocabularies(topology: JsonObject, layers: readonly FileLayer[], assets: Map<string, Uint8Array>, what: string): void {
  const entries = (own(asObject(own(topology, 'config') ?? {}, 'config'), 'layers') ?? []) as JsonObject[];
  for (const l of layers) {
    if (!VOCABULARY_LAYERS.has(l.className)) continue;
    const bytes = assets.get(`assets/${l.path}/vocabulary.txt`);
    const entry = entries.find((e) => isObject(e.config) && (e.config as JsonObject).name === l.name);
    if (!bytes || !entry) continue;
    const config = entry.config as JsonObject;
    if (config.vocabulary !== null && config.vocabulary !== undefined) continue;
    if (config.outputMode === 'tf_idf') {
      throw new ModelFileError(`${what}: ${l.className} "${l.name}" in tf_idf mode keeps its IDF weights outside the layer's vars; such a layer cannot be read yet (save it with a vocabulary and idf_weights in its config)`);
    }
    const lines = new TextDecoder('utf-8').decode(bytes).split(/\r\n|\n|\r/);
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    config.vocabulary = l.className === 'IntegerLookup' ? lines.map((t) => Number(t)) : lines;
  }
}

async function parseFile(bytes: Uint8Array, what: string): Promise<Parsed> {
  if (isZip(bytes)) {
    const archive = readKerasArchive(bytes, what);
    const weights = await readH5(archive.weights, `${what}: model.weights.h5`);
    const compileConfig = own(archive.config, 'compile_config');
    return {
      modelConfig: archive.config,
      trainingConfig: isObject(compileConfig) ? compileConfig : null,
      layerValues: (layers) => keras3LayerValues(weights, layers, `${what}: model.weights.h5`),
      optimizerValues: varsOf(groupAt(weights, 'optimizer/vars'), `${what}: optimizer/vars`),
      kerasVersion: typeof archive.metadata.keras_version === 'string' ? archive.metadata.keras_version : 'unknown',
      assets: archive.assets,
    };
  }
  if (isHdf5(bytes)) {
    const root = await readH5(bytes, what);
    const mc = stringAttr(root, 'model_config', what);
    if (mc === null) {
      throw new ModelFileError(`${what} holds weights only (no model_config); load them into a model with loadKerasWeights(model, file)`);
    }
    const tc = stringAttr(root, 'training_config', what);
    const mw = groupAt(root, 'model_weights');
    if (!mw) throw new ModelFileError(`${what} has a model_config but no model_weights group`);
    const ow = groupAt(root, 'optimizer_weights');
    const version = stringAttr(root, 'keras_version', what) ?? '1';
    const onames = ow ? own(ow.attrs as JsonObject, 'weight_names') : undefined;
    return {
      modelConfig: asObject(parseModelJson(mc, `${what}: model_config`), `${what}: model_config`),
      trainingConfig: tc === null ? null : asObject(parseModelJson(tc, `${what}: training_config`), `${what}: training_config`),
      layerValues: (layers) =>
        legacyLayerValues(mw, layers.map((l) => l.name), `${what}: model_weights`, new Set(layers.filter((l) => l.className === 'Sequential' || l.className === 'Functional').map((l) => l.name))),
      // only Keras 3 writes optimizer_weights in optimizer.variables order; older layouts differ by version
      optimizerValues: ow && version.startsWith('3.') && Array.isArray(onames)
        ? onames.map((n) => at(ow, String(n))).filter((d): d is H5Dataset => d !== undefined && d.kind === 'dataset')
        : [],
      kerasVersion: version,
      assets: new Map(),
    };
  }
  throw new ModelFileError(`${what} is neither a .keras archive (zip) nor an HDF5 file (.h5): its first bytes are ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
}

/**
 * Load a Keras model: a Keras 3 `.keras` file, or a legacy `.h5` model saved by Keras 1, 2 or 3
 * (`model.save('model.h5')`). `source` is a path (Node), a URL, an ArrayBuffer/Uint8Array or a
 * File/Blob. With `compile` (default) the loss, metrics and optimizer are restored, with the
 * optimizer's state, so `fit` continues where Python stopped. Layers come from neurona's
 * registry; nothing in the file is ever run. Anything neurona cannot represent is refused with a
 * `ModelFileError` naming the layer class and option.
 */
export async function loadKerasModel(source: KerasSource, options: KerasLoadOptions = {}): Promise<LayersModel> {
  checkOptions('loadKerasModel', options, LOAD_OPTIONS);
  const { bytes, name } = await readSource(source, options.fetch);
  const parsed = await parseFile(bytes, name);
  // Keras 1/2 files mean their own hard_sigmoid (config/legacy-activations.ts)
  const topo = topologyFromKeras(parsed.modelConfig, `${name}: config`, { legacy: /^[12](\.|$)/.test(parsed.kerasVersion) });
  restoreVocabularies(topo.topology as JsonObject, topo.layers, parsed.assets, name);
  const perLayer = parsed.layerValues(topo.layers);
  let budget = 0;
  for (const v of perLayer.values()) for (const d of v.values) budget += d.values.length;
  const warn = options.onWarning ?? ((m: string) => console.warn(`@neurona/keras: ${m}`));
  let model: LayersModel | null = null;
  try {
    model = buildModelFromTopology(topo.topology, { maxWeightValues: budget });
    assignLayerWeights(model, perLayer, name, options.allowNonFinite);
    if ((options.compile ?? true) && parsed.trainingConfig) {
      let args: CompileArgs | null;
      try {
        args = compileFromKeras(parsed.trainingConfig, `${name}: ${parsed.kerasVersion.startsWith('3.') && isZip(bytes) ? 'compile_config' : 'training_config'}`);
        if (args) model.compile(args);
      } catch (e) {
        if (e instanceof ModelFileError) throw new ModelFileError(`${e.message} (load with { compile: false } to skip the training configuration)`, { cause: e });
        throw new ModelFileError(`${name}: cannot compile the model from its training configuration: ${(e as Error).message} (load with { compile: false } to skip it)`, { cause: e });
      }
      if (args && parsed.optimizerValues.length > 0) {
        const opt = args.optimizer as { className: string; config: JsonObject };
        const w = restoreOptimizerState(model, parsed.optimizerValues, opt.className, opt.config);
        if (w) warn(`${name}: ${w}`);
      }
    }
    return model;
  } catch (e) {
    model?.dispose();
    throw e;
  }
}

/**
 * Load the weights of a Keras file into a built neurona model with the same layers: a Keras 3
 * `.weights.h5` (`model.save_weights`), the weights of a `.keras` file, or a legacy `.h5` (by
 * layer name, else in order as Keras's loader). Counts and shapes must match; on a mismatch the
 * model keeps its weights.
 */
export async function loadKerasWeights(model: LayersModel, source: KerasSource, options: Pick<KerasLoadOptions, 'fetch' | 'allowNonFinite'> = {}): Promise<void> {
  checkOptions('loadKerasWeights', options, ['fetch', 'allowNonFinite']);
  model.assertUsable('loadKerasWeights');
  const { bytes, name } = await readSource(source, options.fetch);
  const fileLayers: FileLayer[] = placedLayers(model).map((p) => ({ name: p.name, kerasClass: p.layer.className, className: p.layer.className, path: p.path }));
  let perLayer: Map<string, LayerValues>;
  if (isZip(bytes)) {
    const archive = readKerasArchive(bytes, name);
    perLayer = keras3LayerValues(await readH5(archive.weights, `${name}: model.weights.h5`), fileLayers, `${name}: model.weights.h5`);
  } else if (isHdf5(bytes)) {
    const root = await readH5(bytes, name);
    if (groupAt(root, 'layers') || (groupAt(root, 'vars') && !groupAt(root, 'model_weights'))) {
      perLayer = keras3LayerValues(root, fileLayers, name);
    } else {
      const wroot = groupAt(root, 'model_weights') ?? root;
      const names = own(wroot.attrs as JsonObject, 'layer_names');
      if (!Array.isArray(names)) throw new ModelFileError(`${name}: no layers/ group and no layer_names attribute; not a Keras weights file`);
      const byName = legacyLayerValues(wroot, names.map(String), name);
      const withWeights = model.layers.filter((l) => l.weights.length > 0);
      if (withWeights.every((l) => byName.has(l.name))) perLayer = byName;
      else {
        // Keras's rule: layers with weights, in order
        const fileWith = [...byName.values()].filter((v) => v.values.length > 0);
        if (fileWith.length !== withWeights.length) {
          throw new ModelFileError(`${name}: the file has weights for ${fileWith.length} layers, the model has ${withWeights.length} layers with weights`);
        }
        perLayer = new Map(withWeights.map((l, i) => [l.name, fileWith[i]]));
      }
    }
  } else {
    throw new ModelFileError(`${name} is neither a .keras archive nor an HDF5 weights file`);
  }
  assignLayerWeights(model, perLayer, name, options.allowNonFinite);
}
