// A Keras model config (Keras 3 `.keras` config.json, or the `model_config` of a legacy `.h5` by
// Keras 1, 2 or 3) as the JSON the models package builds from: Sequential or functional, layer
// configs translated to neurona's, Keras 3 call nodes (`{ args, kwargs }` with `__keras_tensor__`
// arguments) turned into `[layer, node, tensor, kwargs]` references.
import { ModelFileError } from '@neurona/models';
import { kerasSnakeCase } from './case';
import { asArray, asInt, asObject, asString, isObject, own, show } from './json';
import type { JsonObject, JsonValue } from './json';
import { kerasFunction } from './lambda';
import { isNestedModel, layerConfigFromKeras } from './layer-config';
import type { ReadContext } from './layer-config';

/** One layer as the file declares it. */
export interface FileLayer {
  name: string;
  /** The class name in the file (Python's). */
  kerasClass: string;
  /** neurona's class name. */
  className: string;
  /** Where its weights live in a `.keras` weights file (`layers/dense_1`, `layers/sequential/layers/dense`). */
  path: string;
}

/** How deep models may nest in a file (far beyond real models; bounds the recursion a file can ask for). */
const MAX_NESTING = 16;

/** A translated model config. */
export interface KerasTopology {
  kind: 'Sequential' | 'Functional';
  name: string | null;
  /** For `buildModelFromTopology`. */
  topology: JsonObject;
  /** The layers, in the file's order (Keras's `model.layers` order). */
  layers: FileLayer[];
}

const MAX_LAYERS = 100_000;

/** Layer paths of a `.keras` weights file: per class, `dense`, `dense_1`, ... in layer order. */
export function layerPaths(classNames: readonly string[]): string[] {
  const used = new Map<string, number>();
  return classNames.map((cls) => {
    const base = kerasSnakeCase(cls);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return `layers/${n === undefined ? base : `${base}_${n + 1}`}`;
  });
}

function ourClass(entry: JsonObject, where: string): { kerasClass: string; className: string } {
  const kerasClass = asString(own(entry, 'class_name'), `${where}.class_name`);
  const registered = own(entry, 'registered_name');
  if (typeof registered === 'string' && registered.startsWith('neurona>')) return { kerasClass, className: registered.slice('neurona>'.length) };
  if (kerasClass.startsWith('neurona>')) return { kerasClass, className: kerasClass.slice('neurona>'.length) };
  return { kerasClass, className: kerasClass };
}

function lambdaConfig(raw: JsonObject, where: string): JsonObject {
  const fn = own(raw, 'function');
  const type = own(raw, 'function_type');
  // Keras 3: a named function is { class_name: 'function', config: 'name' }; Keras 2: the name with function_type 'raw'
  const name = isObject(fn) && own(fn, 'class_name') === 'function' && typeof own(fn, 'config') === 'string'
    ? (own(fn, 'config') as string)
    : typeof fn === 'string' && (type === 'raw' || type === undefined) ? fn : null;
  if (name === null) {
    throw new ModelFileError(
      `${where}: Lambda layer holds a Python lambda (bytecode); neurona never runs code from a file (Keras's safe_mode ` +
        'refuses it too). Define the function by name in Python, re-save, and register its JavaScript version with registerKerasFunction(name, fn)',
    );
  }
  if (!kerasFunction(name)) {
    throw new ModelFileError(`${where}: Lambda layer calls the Python function "${name}"; register its JavaScript version first: registerKerasFunction('${name}', (x) => ...)`);
  }
  const outputShape = own(raw, 'output_shape');
  return {
    name: own(raw, 'name') ?? null,
    trainable: own(raw, 'trainable') ?? true,
    function: name,
    outputShape: Array.isArray(outputShape) ? outputShape : null,
  };
}

/** One translated layer entry; a nested model carries its own layers (paths relative to it). */
interface Translated {
  out: JsonObject;
  layer: Omit<FileLayer, 'path'>;
  inner?: FileLayer[];
}

function translateLayer(entry: JsonValue, where: string, context: Context): Translated {
  const o = asObject(entry, where);
  if (isNestedModel(o)) {
    // a model used as a layer: its config is a model config; its weights live under
    // layers/<sequential|functional>[_n]/layers/... (saving_lib walks the model's `layers`)
    if (context.depth >= MAX_NESTING) throw new ModelFileError(`${where}: models nested more than ${MAX_NESTING} deep`);
    const nested = topologyFromKeras(o, where, { ...context, depth: context.depth + 1 });
    const name = nested.name ?? (typeof own(o, 'name') === 'string' ? (own(o, 'name') as string) : '');
    if (name.length === 0) throw new ModelFileError(`${where}: a nested model without a name`);
    const kerasClass = nested.kind === 'Sequential' ? 'Sequential' : 'Functional';
    return { out: nested.topology, layer: { name, kerasClass, className: kerasClass }, inner: nested.layers };
  }
  const { kerasClass, className } = ourClass(o, where);
  const raw = asObject(own(o, 'config') ?? {}, `${where}.config`);
  const config = className === 'Lambda' ? lambdaConfig(raw, `${where} (Lambda)`) : layerConfigFromKeras(className, raw, `${where} (${kerasClass})`, context);
  const name = typeof config.name === 'string' ? config.name : typeof own(o, 'name') === 'string' ? (own(o, 'name') as string) : '';
  if (name.length === 0) throw new ModelFileError(`${where}: a layer without a name`);
  return { out: { class_name: className, config }, layer: { name, kerasClass, className } };
}

/** The file's layers with their paths, a nested model's own ones after it (named `outer/inner`). */
function withPaths(translated: readonly Translated[]): FileLayer[] {
  const paths = layerPaths(translated.map((t) => t.layer.kerasClass));
  return translated.flatMap((t, i) => {
    const self: FileLayer = { ...t.layer, path: paths[i] };
    const inner = (t.inner ?? []).map((l) => ({ ...l, name: `${t.layer.name}/${l.name}`, path: `${paths[i]}/${l.path}` }));
    return [self, ...inner];
  });
}

interface Context extends ReadContext {
  depth: number;
}

interface Ref {
  layer: string;
  node: number;
  tensor: number;
}

function kerasTensorRef(v: JsonValue, where: string): Ref {
  const o = asObject(v, where);
  if (own(o, 'class_name') !== '__keras_tensor__') throw new ModelFileError(`${where}: expected a __keras_tensor__ argument, got ${show(v)}`);
  const history = asArray(own(asObject(own(o, 'config'), `${where}.config`), 'keras_history'), `${where}.config.keras_history`);
  if (history.length !== 3) throw new ModelFileError(`${where}.config.keras_history must be [layer, node, tensor], got ${show(history)}`);
  return {
    layer: asString(history[0], `${where}.keras_history[0]`),
    node: asInt(history[1], `${where}.keras_history[1]`, 0, MAX_LAYERS),
    tensor: asInt(history[2], `${where}.keras_history[2]`, 0, 1024),
  };
}

function callKwargs(raw: JsonValue | undefined, where: string, layer: string): JsonObject {
  if (raw === undefined || raw === null) return {};
  const o = asObject(raw, where);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'training' && typeof v === 'boolean') out.training = v;
    else if (v !== null && !(k === 'mask' && v === null)) {
      throw new ModelFileError(`${where}: layer "${layer}" is called with ${k} = ${show(v)}, which neurona does not support`);
    }
  }
  return out;
}

/** One call of a layer as `[[layer, node, tensor, kwargs], ...]` (the Keras 2 form). */
function nodeRefs(node: JsonValue, where: string, layer: string): JsonValue[] {
  if (Array.isArray(node)) {
    // Keras 2: [[name, node, tensor, kwargs?], ...]
    return node.map((r, i) => {
      const a = asArray(r, `${where}[${i}]`);
      if (a.length < 3 || a.length > 4) throw new ModelFileError(`${where}[${i}] must be [layer, node, tensor, kwargs?], got ${show(r)}`);
      return [asString(a[0], `${where}[${i}][0]`), asInt(a[1], `${where}[${i}][1]`, 0, MAX_LAYERS), asInt(a[2], `${where}[${i}][2]`, 0, 1024), callKwargs(a[3], `${where}[${i}][3]`, layer)];
    });
  }
  const o = asObject(node, where);
  const args = asArray(own(o, 'args') ?? [], `${where}.args`);
  if (args.length === 0) throw new ModelFileError(`${where}: a call without arguments`);
  for (let i = 1; i < args.length; i++) {
    if (args[i] !== null) throw new ModelFileError(`${where}.args[${i}]: layer "${layer}" is called with an extra argument ${show(args[i])}, which neurona does not support`);
  }
  const kwargs = callKwargs(own(o, 'kwargs'), `${where}.kwargs`, layer);
  const first = args[0];
  const tensors = Array.isArray(first) ? first : [first];
  return tensors.map((t, i) => {
    const r = kerasTensorRef(t, `${where}.args[0]${Array.isArray(first) ? `[${i}]` : ''}`);
    return [r.layer, r.node, r.tensor, kwargs];
  });
}

/** `input_layers`/`output_layers`: one `[name, node, tensor]` or a list of them. */
function ends(v: JsonValue | undefined, where: string): JsonValue[] {
  const a = asArray(v, where);
  const isLeaf = (x: JsonValue): boolean => Array.isArray(x) && x.length === 3 && typeof x[0] === 'string';
  if (isLeaf(a)) return [a];
  return a.map((x, i) => {
    if (!isLeaf(x)) throw new ModelFileError(`${where}[${i}] must be [layer, node, tensor], got ${show(x)} (nested or named inputs are not supported)`);
    return x;
  });
}

/** The model a Keras config describes, translated for the models package. */
export function topologyFromKeras(raw: JsonValue, where = 'config', context: ReadContext & { depth?: number } = {}): KerasTopology {
  const ctx: Context = { ...context, depth: context.depth ?? 0 };
  const top = asObject(raw, where);
  const cls = asString(own(top, 'class_name'), `${where}.class_name`);
  const config = own(top, 'config');
  if (cls === 'Sequential') {
    // Keras 1 and early Keras 2 wrote the layer list directly
    const c = Array.isArray(config) ? { layers: config } : asObject(config, `${where}.config`);
    const entries = asArray(own(c, 'layers'), `${where}.config.layers`);
    if (entries.length > MAX_LAYERS) throw new ModelFileError(`${where}.config.layers: ${entries.length} layers is more than ${MAX_LAYERS}`);
    const translated = entries.map((e, i) => translateLayer(e, `${where}.config.layers[${i}]`, ctx));
    const name = own(c, 'name');
    // Keras's Sequential.layers leaves its InputLayer out; its weights paths count the others only
    const layers = withPaths(translated.filter((t) => t.layer.className !== 'InputLayer'));
    return {
      kind: 'Sequential',
      name: typeof name === 'string' ? name : null,
      topology: { class_name: 'Sequential', config: { ...(typeof name === 'string' ? { name } : {}), layers: translated.map((t) => t.out) } },
      layers,
    };
  }
  if (cls === 'Functional' || cls === 'Model') {
    const c = asObject(config, `${where}.config`);
    const entries = asArray(own(c, 'layers'), `${where}.config.layers`);
    if (entries.length > MAX_LAYERS) throw new ModelFileError(`${where}.config.layers: ${entries.length} layers is more than ${MAX_LAYERS}`);
    const translated: Translated[] = [];
    const out = entries.map((e, i) => {
      const at = `${where}.config.layers[${i}]`;
      const t = translateLayer(e, at, ctx);
      const declared = own(asObject(e, at), 'name');
      if (typeof declared === 'string' && declared !== t.layer.name) {
        throw new ModelFileError(`${at}: name "${declared}" differs from its config's name "${t.layer.name}"`);
      }
      translated.push(t);
      const inbound = asArray(own(asObject(e, at), 'inbound_nodes') ?? [], `${at}.inbound_nodes`);
      return {
        name: t.layer.name,
        ...t.out,
        inbound_nodes: inbound.map((n, j) => nodeRefs(n, `${at}.inbound_nodes[${j}]`, t.layer.name)),
      };
    });
    const name = own(c, 'name');
    return {
      kind: 'Functional',
      name: typeof name === 'string' ? name : null,
      topology: {
        class_name: 'Model',
        config: {
          ...(typeof name === 'string' ? { name } : {}),
          layers: out,
          input_layers: ends(own(c, 'input_layers'), `${where}.config.input_layers`),
          output_layers: ends(own(c, 'output_layers'), `${where}.config.output_layers`),
        },
      },
      layers: withPaths(translated),
    };
  }
  throw new ModelFileError(
    `${where}.class_name is ${show(cls)}; neurona loads Sequential and functional models (a subclassed Keras model has no ` +
      'config to rebuild it from: save it as a functional model, or load its weights into a neurona model with loadKerasWeights)',
  );
}
