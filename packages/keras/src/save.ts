// neurona models out as Keras files: `.keras` (Keras 3's zip: metadata.json, config.json,
// model.weights.h5), `.weights.h5` (Keras 3's weights file) and legacy `.h5` (Keras's HDF5 model
// format, as Keras 3 writes it), all with the paths, dtypes, attributes and JSON keys Keras reads.
import { checkOptions } from '@neurona/common';
import { LayersModel } from '@neurona/models';
import type { SaveResult } from '@neurona/models';
import { serialize as serializeOptimizer } from '@neurona/optimizers';
import { toCamel } from './config/case';
import { compileToKeras } from './config/compile';
import type { JsonObject } from './config/json';
import { placedLayers } from './config/layer-order';
import { ruleOf } from './config/layer-table';
import { modelConfigToKeras } from './config/topology-write';
import { group, subgroup } from './h5/tree';
import type { H5Dataset, H5Group } from './h5/tree';
import { writeH5 } from './h5/write';
import { writeFileAtomic } from './source';
import { optimizerStateToKeras } from './weights/optimizer-state';
import { zipStored } from './zip/write';

/** The Keras version whose file layout neurona writes (and was checked against). */
export const KERAS_FORMAT_VERSION = '3.9.2';

/** Options of `saveKerasModel`. */
export interface KerasSaveOptions {
  /** Save the compile configuration and the optimizer state. Default true. */
  includeOptimizer?: boolean;
}

async function dataset(v: { shape: number[]; dtype: string; data(): Promise<ArrayLike<number>> }): Promise<H5Dataset> {
  const values = await v.data();
  const float = v.dtype === 'float32';
  return { kind: 'dataset', shape: [...v.shape], dtype: float ? 'float32' : 'int32', values: float ? Float32Array.from(values) : Int32Array.from(values), attrs: {} };
}

/** The groups of `path` (relative to `node`), made as needed; each new `vars` group named as saving_lib names it. */
function groupPath(node: H5Group, path: string, name: string): H5Group {
  let g = node;
  for (const part of path.split('/')) {
    g = subgroup(g, part);
    if (part === 'vars') g.attrs.name = name;
  }
  return g;
}

/**
 * Keras 3's weights file of a model (`layers/<path>/vars/<i>`, `vars`, `optimizer/vars/<i>`).
 * As saving_lib, every layer gets its own `vars` group (empty for a layer without weights), and a
 * layer keeping its weights in sublayers (a recurrent layer's cell, a wrapper's layers) gets the
 * empty `vars` of each object on the way; a nested model's layers go under its `layers/`.
 */
async function keras3WeightsTree(model: LayersModel, withOptimizer: boolean): Promise<H5Group> {
  const root = group();
  const layersGroup = subgroup(root, 'layers');
  for (const { layer, path } of placedLayers(model)) {
    const base = groupPath(layersGroup, path.slice('layers/'.length), layer.name);
    groupPath(base, 'vars', layer.name);
    if (layer instanceof LayersModel) continue;
    const rule = ruleOf(layer.className);
    const groups = rule.weightGroups ? rule.weightGroups(layer.weights.length) : [{ path: 'vars', count: layer.weights.length }];
    let k = 0;
    for (const g of groups) {
      // the objects on the way (forward_layer, cell) have their own, empty, vars
      const parts = g.path.split('/').slice(0, -1);
      for (let j = 1; j <= parts.length; j++) groupPath(base, `${parts.slice(0, j).join('/')}/vars`, layer.name);
      const node = groupPath(base, g.path, layer.name);
      for (let j = 0; j < g.count; j++) node.children.set(String(j), await dataset(layer.weights[k++]));
    }
  }
  root.children.set('vars', group({ name: model.name }));
  if (withOptimizer && model.optimizer) {
    const s = serializeOptimizer(model.optimizer);
    const sc = (s.config ?? {}) as JsonObject;
    const state = await optimizerStateToKeras(model, s.className, sc, String(sc.name ?? s.className));
    const vars = subgroup(subgroup(root, 'optimizer'), 'vars');
    vars.attrs.name = String(sc.name ?? s.className);
    (state ?? []).forEach((t, i) => vars.children.set(String(i), { kind: 'dataset', shape: t.shape, dtype: t.dtype, values: t.values, attrs: {} }));
  }
  return root;
}

/** The bytes of a `.keras` file of the model. */
export async function kerasModelBytes(model: LayersModel, options: KerasSaveOptions = {}): Promise<Uint8Array> {
  model.assertUsable('saveKerasModel');
  const withOptimizer = (options.includeOptimizer ?? true) && model.compileConfig !== null;
  const config = modelConfigToKeras(model);
  const compile = withOptimizer ? compileToKeras(model) : null;
  if (compile) config.compile_config = compile;
  const weights = await writeH5(await keras3WeightsTree(model, withOptimizer), 'model.weights.h5');
  const enc = new TextEncoder();
  const date = new Date().toISOString().replace('T', '@').replace(/\.\d+Z$/, '');
  return zipStored([
    { name: 'metadata.json', data: enc.encode(JSON.stringify({ keras_version: KERAS_FORMAT_VERSION, date_saved: date, saved_by: 'neurona 0.1.0' })) },
    { name: 'config.json', data: enc.encode(JSON.stringify(config)) },
    { name: 'model.weights.h5', data: weights },
  ]);
}

/** The bytes of a Keras 3 `.weights.h5` file of the model's weights. */
export async function kerasWeightsBytes(model: LayersModel): Promise<Uint8Array> {
  model.assertUsable('saveKerasWeights');
  return writeH5(await keras3WeightsTree(model, false), 'weights.h5');
}

/** The bytes of a legacy `.h5` model file, as Keras 3's `model.save('model.h5')` writes it. */
export async function legacyH5Bytes(model: LayersModel, options: KerasSaveOptions = {}): Promise<Uint8Array> {
  model.assertUsable('saveKerasModel');
  const root = group({ keras_version: KERAS_FORMAT_VERSION, backend: 'tensorflow', model_config: JSON.stringify(modelConfigToKeras(model, true)) });
  const compile = (options.includeOptimizer ?? true) ? compileToKeras(model) : null;
  if (compile) {
    const { optimizer, ...rest } = compile;
    root.attrs.training_config = JSON.stringify({ ...rest, optimizer_config: { class_name: (optimizer as JsonObject).class_name, config: (optimizer as JsonObject).config } });
  }
  const mw = subgroup(root, 'model_weights');
  const layers = model.layers;
  mw.attrs = { layer_names: layers.map((l) => l.name), backend: 'tensorflow', keras_version: KERAS_FORMAT_VERSION };
  for (const l of [...layers].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const g = subgroup(mw, l.name);
    const names: string[] = [];
    // a nested model's weights in Keras's legacy order (trainable, then the others), each named by its layer
    const weights = l instanceof LayersModel ? [...l.trainableWeights, ...l.nonTrainableWeights] : l.weights;
    for (const w of weights) {
      const rel = w.name.startsWith(`${l.name}/`) ? w.name.slice(l.name.length + 1).replace(/_\d+$/, '') : w.name;
      const path = `${l.name}/${rel}`;
      names.push(path);
      const parts = path.split('/');
      let node = g;
      for (const p of parts.slice(0, -1)) node = subgroup(node, p);
      node.children.set(parts[parts.length - 1], await dataset(w));
    }
    g.attrs.weight_names = names;
  }
  subgroup(mw, 'top_level_model_weights').attrs.weight_names = [];
  if (compile && model.optimizer) {
    const s = serializeOptimizer(model.optimizer);
    const sc = (s.config ?? {}) as JsonObject;
    const state = await optimizerStateToKeras(model, s.className, s.config as JsonObject, toCamel(String(sc.name ?? s.className)).toLowerCase());
    if (state && state.length > 0) {
      const og = subgroup(root, 'optimizer_weights');
      og.attrs.weight_names = state.map((t) => t.name);
      for (const t of state) {
        const parts = t.name.split('/');
        let node = og;
        for (const p of parts.slice(0, -1)) node = subgroup(node, p);
        node.children.set(parts[parts.length - 1], { kind: 'dataset', shape: t.shape, dtype: t.dtype, values: t.values, attrs: {} });
      }
    }
  }
  return writeH5(root, 'model.h5');
}

function result(location: string, bytes: Uint8Array): SaveResult {
  return { location, modelJsonBytes: 0, weightBytes: bytes.byteLength, optimizerBytes: 0 };
}

/**
 * Save a model as a Keras file at a path (Node), atomically (written beside it, then renamed):
 * `model.keras` writes Keras 3's format (`keras.saving.load_model('model.keras')` reads it),
 * `model.h5` the legacy HDF5 format. In a browser use `kerasModelBytes(model)` and offer the
 * bytes for download.
 */
export async function saveKerasModel(model: LayersModel, dest: string, options: KerasSaveOptions = {}): Promise<SaveResult> {
  checkOptions('saveKerasModel', options, ['includeOptimizer']);
  if (typeof dest !== 'string' || dest.length === 0) throw new Error(`saveKerasModel: expected a path ending in .keras or .h5, got ${String(dest)}`);
  if (/\.weights\.h5$/i.test(dest)) throw new Error(`saveKerasModel("${dest}"): a .weights.h5 file holds weights only; use saveKerasWeights`);
  let bytes: Uint8Array;
  if (/\.keras$/i.test(dest)) bytes = await kerasModelBytes(model, options);
  else if (/\.(h5|hdf5)$/i.test(dest)) bytes = await legacyH5Bytes(model, options);
  else throw new Error(`saveKerasModel("${dest}"): the path must end in .keras (Keras 3) or .h5 (legacy HDF5)`);
  return result(await writeFileAtomic(dest, bytes), bytes);
}

/** Save only the weights as Keras 3's `.weights.h5` (`model.load_weights('x.weights.h5')` reads it), atomically. */
export async function saveKerasWeights(model: LayersModel, dest: string): Promise<SaveResult> {
  if (typeof dest !== 'string' || !/\.weights\.h5$/i.test(dest)) throw new Error(`saveKerasWeights: expected a path ending in .weights.h5 (as Keras requires), got ${String(dest)}`);
  const bytes = await kerasWeightsBytes(model);
  return result(await writeFileAtomic(dest, bytes), bytes);
}
