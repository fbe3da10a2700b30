// A model from the Keras JSON of a file: layers come only from the layer registry, by class
// name; their configs are read as data. Nothing in the file is ever evaluated.
import { deserializeLayer, isSymbolic, registry as layerRegistry } from '@neurona/layers';
import type { CallKwargs, Layer, SymbolicTensor } from '@neurona/layers';
import { Model } from '../functional';
import type { LayersModel } from '../model';
import { Sequential } from '../sequential';
import { registerModelClasses } from '../model-config';
import { ModelFileError, show } from './errors';
import { EXTENSION_PREFIX, layerConfigFromKeras, ourLayerClassName } from './keras-layers';
import { asArray, asInt, asObject, asString, isObject, own } from './read';
import type { JsonObject, JsonValue } from './types';

/** The most layers a file may declare (far above real models; bounds the work a file can ask for). */
export const MAX_LAYERS = 100_000;

/** Called on every layer before it is built, so weight allocation can be checked (see load-model). */
export type BeforeBuild = (layer: Layer) => void;

function knownClasses(): string {
  return [...layerRegistry.keys()].join(', ');
}

/** Class names of models, which a file may nest as layers. */
const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

/** How deep models may nest in a file (far beyond real models; bounds the recursion a file can ask for). */
const MAX_NESTING = 16;

function makeLayer(entry: JsonValue, where: string, beforeBuild: BeforeBuild, depth: number): Layer {
  const o = asObject(entry, where);
  const fileClass = asString(own(o, 'class_name') ?? own(o, 'className'), `${where}.class_name`);
  if (MODEL_CLASSES.has(fileClass)) {
    // a model used as a layer: built from its own topology, every weight still checked by beforeBuild
    if (depth >= MAX_NESTING) throw new ModelFileError(`${where}: models nested more than ${MAX_NESTING} deep`);
    return buildTopology(o, where, beforeBuild, depth + 1);
  }
  const className = ourLayerClassName(fileClass);
  if (!layerRegistry.has(className)) {
    const hint = fileClass.startsWith(EXTENSION_PREFIX) ? '' : ' (register a custom layer with registerLayer(className, fromConfig) before loading)';
    throw new ModelFileError(`${where}: unknown layer class "${fileClass}"${hint}. Known layer classes: ${knownClasses()}`);
  }
  const rawConfig = asObject(own(o, 'config') ?? {}, `${where}.config`);
  const config = layerConfigFromKeras(className, rawConfig, `${where}.config`);
  let layer: Layer;
  try {
    layer = deserializeLayer({ className, config });
  } catch (e) {
    throw new ModelFileError(`${where}: ${(e as Error).message}`, { cause: e });
  }
  beforeBuild(layer);
  return layer;
}

function applyLayer(layer: Layer, inputs: SymbolicTensor[], kwargs: CallKwargs, where: string): SymbolicTensor[] {
  try {
    const out = layer.apply(inputs.length === 1 ? inputs[0] : inputs, kwargs) as SymbolicTensor | SymbolicTensor[];
    return Array.isArray(out) ? out : [out];
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(`${where}: layer "${layer.name}" cannot be applied as the file describes: ${(e as Error).message}`, { cause: e });
  }
}

function sequentialFromKeras(config: JsonValue, where: string, beforeBuild: BeforeBuild, depth: number): LayersModel {
  // Keras 2.0 wrote the layer list directly; later versions { name, layers }
  const o = Array.isArray(config) ? { layers: config } : asObject(config, where);
  const entries = asArray(own(o, 'layers'), `${where}.layers`);
  if (entries.length > MAX_LAYERS) throw new ModelFileError(`${where}.layers has ${entries.length} layers, at most ${MAX_LAYERS} are allowed`);
  const name = own(o, 'name');
  const model = Sequential(typeof name === 'string' && name.length > 0 ? { name } : {});
  entries.forEach((e, i) => {
    const layer = makeLayer(e, `${where}.layers[${i}]`, beforeBuild, depth);
    try {
      model.add(layer);
    } catch (err) {
      if (err instanceof ModelFileError) throw err;
      throw new ModelFileError(`${where}.layers[${i}]: cannot add layer "${layer.name}": ${(err as Error).message}`, { cause: err });
    }
  });
  return model;
}

interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
  kwargs: CallKwargs;
}

function readRef(v: JsonValue, where: string): TensorRef {
  const a = asArray(v, where);
  if (a.length < 3 || a.length > 4) throw new ModelFileError(`${where} must be [layerName, nodeIndex, tensorIndex, kwargs?], got ${show(v)}`);
  const kwargs: CallKwargs = {};
  if (a.length === 4 && a[3] !== null) {
    const k = asObject(a[3], `${where}[3]`);
    const training = own(k, 'training');
    if (typeof training === 'boolean') kwargs.training = training;
  }
  return { layer: asString(a[0], `${where}[0]`), node: asInt(a[1], `${where}[1]`, 0, MAX_LAYERS), tensor: asInt(a[2], `${where}[2]`, 0, 1024), kwargs };
}

function functionalFromKeras(config: JsonValue, where: string, beforeBuild: BeforeBuild, depth: number): LayersModel {
  const o = asObject(config, where);
  const entries = asArray(own(o, 'layers'), `${where}.layers`);
  if (entries.length > MAX_LAYERS) throw new ModelFileError(`${where}.layers has ${entries.length} layers, at most ${MAX_LAYERS} are allowed`);
  const byName = new Map<string, Layer>();
  // per layer, the output tensors of each of its calls made so far
  const made = new Map<Layer, SymbolicTensor[][]>();
  const pending: { layer: Layer; nodes: { refs: TensorRef[]; where: string }[] }[] = [];
  entries.forEach((e, i) => {
    const at = `${where}.layers[${i}]`;
    const eo = asObject(e, at);
    const layer = makeLayer(e, at, beforeBuild, depth);
    const declared = own(eo, 'name');
    if (declared !== undefined && declared !== layer.name) {
      throw new ModelFileError(`${at}: name ${show(declared)} differs from its config's name "${layer.name}"`);
    }
    if (byName.has(layer.name)) throw new ModelFileError(`${at}: a second layer named "${layer.name}"; layer names must be unique`);
    byName.set(layer.name, layer);
    const inbound = asArray(own(eo, 'inbound_nodes') ?? [], `${at}.inbound_nodes`);
    if (layer.className === 'InputLayer') {
      if (inbound.length > 0) throw new ModelFileError(`${at}: an InputLayer has no inbound nodes, got ${inbound.length}`);
      made.set(layer, [layer.inboundNodes[0].outputTensors]);
      return;
    }
    made.set(layer, []);
    pending.push({
      layer,
      nodes: inbound.map((n, j) => {
        if (isObject(n)) throw new ModelFileError(`${at}.inbound_nodes[${j}]: the Keras 3 node format ({ args, kwargs }) is not supported; save the model with tfjs-layers or Keras 2`);
        const refs = asArray(n, `${at}.inbound_nodes[${j}]`).map((r, k) => readRef(r, `${at}.inbound_nodes[${j}][${k}]`));
        if (refs.length === 0) throw new ModelFileError(`${at}.inbound_nodes[${j}] has no inputs`);
        return { refs, where: `${at}.inbound_nodes[${j}]` };
      }),
    });
  });
  const lookup = (r: TensorRef, at: string): SymbolicTensor | undefined => {
    const src = byName.get(r.layer);
    if (!src) throw new ModelFileError(`${at}: refers to layer "${r.layer}", which the file does not declare`);
    const outs = made.get(src)?.[r.node];
    if (!outs) return undefined;
    const t = outs[r.tensor];
    if (!t) throw new ModelFileError(`${at}: layer "${r.layer}" call ${r.node} has ${outs.length} outputs, no output ${r.tensor}`);
    return t;
  };
  // Keras's order: apply every call whose inputs exist, until none is left (shared layers may
  // need several rounds); a round without progress means the file's graph cannot be built.
  let left = pending.reduce((n, p) => n + p.nodes.length, 0);
  while (left > 0) {
    let progressed = false;
    for (const p of pending) {
      while (p.nodes.length > 0) {
        const node = p.nodes[0];
        const inputs = node.refs.map((r, k) => lookup(r, `${node.where}[${k}]`));
        if (inputs.some((t) => t === undefined)) break;
        const kwargs = node.refs[0].kwargs;
        (made.get(p.layer) as SymbolicTensor[][]).push(applyLayer(p.layer, inputs as SymbolicTensor[], kwargs, node.where));
        p.nodes.shift();
        left--;
        progressed = true;
      }
    }
    if (!progressed) {
      const stuck = pending.find((p) => p.nodes.length > 0);
      const missing = stuck?.nodes[0].refs.map((r) => `${r.layer}[${r.node}]`).join(', ');
      throw new ModelFileError(`${where}: layer "${stuck?.layer.name}" needs ${missing}, which no layer in the file produces (the graph has a cycle or a missing call)`);
    }
  }
  const ends = (key: string): SymbolicTensor[] =>
    asArray(own(o, key), `${where}.${key}`).map((r, i) => {
      const at = `${where}.${key}[${i}]`;
      const t = lookup(readRef(r, at), at);
      if (!t || !isSymbolic(t)) throw new ModelFileError(`${at}: refers to a call that the file never makes`);
      return t;
    });
  const inputs = ends('input_layers');
  const outputs = ends('output_layers');
  const name = own(o, 'name');
  try {
    return Model({ inputs, outputs, ...(typeof name === 'string' && name.length > 0 ? { name } : {}) });
  } catch (e) {
    throw new ModelFileError(`${where}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * The model a `modelTopology` describes (`Sequential`, or `Model`/`Functional`), with fresh
 * weights. `beforeBuild` sees each layer before it creates weights.
 */
export function modelFromTopology(topology: JsonObject, beforeBuild: BeforeBuild): LayersModel {
  // a layer of the file may wrap a model (TimeDistributed(Sequential)): deserializeLayer needs them
  registerModelClasses();
  // Keras's HDF5 conversion nests the architecture under model_config
  const top = isObject(own(topology, 'model_config')) ? (own(topology, 'model_config') as JsonObject) : topology;
  return buildTopology(top, 'modelTopology', beforeBuild, 0);
}

function buildTopology(top: JsonObject, where: string, beforeBuild: BeforeBuild, depth: number): LayersModel {
  const cls = asString(own(top, 'class_name') ?? own(top, 'className'), `${where}.class_name`);
  const config = own(top, 'config');
  const model =
    cls === 'Sequential'
      ? sequentialFromKeras(config ?? null, `${where}.config`, beforeBuild, depth)
      : cls === 'Model' || cls === 'Functional'
        ? functionalFromKeras(config ?? null, `${where}.config`, beforeBuild, depth)
        : null;
  if (model) {
    // a frozen model (Keras writes `trainable: false` in its config): frozen again, layers and all
    if (isObject(config) && own(config, 'trainable') === false) model.trainable = false;
    return model;
  }
  throw new ModelFileError(`${where}.class_name must be "Sequential", "Model" or "Functional", got ${show(cls)}`);
}
