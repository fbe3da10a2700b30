// Keras's serialized objects both ways. Keras 3 wraps every object as
// `{ module, class_name, config, registered_name }` (layers add `build_config`; dtypes are
// `DTypePolicy` objects; `shared_object_id` marks sharing); Keras 2 as `{ class_name, config }`.
// neurona uses `{ className, config }` with camelCase keys. Values that would run code (lambdas,
// Python functions) are refused here, wherever they appear.
import { ModelFileError } from '@neurona/models';
import { toCamel, toSnake } from './case';
import { isObject, own, show } from './json';
import type { JsonObject, JsonValue } from './json';

/** dtypes neurona holds; a Keras dtype policy naming another (mixed precision) is refused. */
const DTYPES = new Set(['float32', 'int32', 'bool']);

/** Keys of Keras envelopes that carry no configuration neurona uses. */
const ENVELOPE_KEYS = new Set(['module', 'registered_name', 'shared_object_id', 'build_config']);

/** Class names of serialized Python code (Keras's `serialize_keras_object` of functions and lambdas). */
const CODE_CLASSES = new Set(['__lambda__', 'function', '__function__', '__bytes__', 'builtins.function']);

/** The dtype a Keras dtype value names, or an error for what neurona cannot hold. */
export function dtypeFromKeras(v: JsonValue, where: string): string {
  let name: JsonValue | undefined = v;
  if (isObject(v)) {
    const cls = own(v, 'class_name');
    const config = own(v, 'config');
    if (typeof cls !== 'string' || !/^(DTypePolicy|FloatDTypePolicy|Policy)$/.test(cls) || !isObject(config)) {
      throw new ModelFileError(`${where}: dtype ${show(v)} is not a dtype policy neurona knows (DTypePolicy with a name)`);
    }
    name = own(config, 'name');
  }
  if (typeof name !== 'string' || !DTYPES.has(name)) {
    const mixed = typeof name === 'string' && /mixed|float16|bfloat16/.test(name);
    throw new ModelFileError(
      `${where}: dtype ${show(name)} is not supported by neurona (it holds float32, int32 and bool)` +
        (mixed ? '; mixed-precision models must be saved with the float32 policy' : ''),
    );
  }
  return name;
}

/** A Keras 3 `DTypePolicy` object for a dtype name. */
export function dtypePolicy(name: string): JsonObject {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null };
}

/** Throws for a serialized Python function or lambda: nothing from a file is ever run. */
export function refuseCode(v: JsonObject, where: string): void {
  const cls = own(v, 'class_name');
  if (typeof cls === 'string' && CODE_CLASSES.has(cls)) {
    throw new ModelFileError(
      `${where}: the file holds Python code (${cls}); neurona never runs code from a file. Rewrite it as a layer ` +
        'neurona has, or register a function with registerKerasFunction and name it',
    );
  }
}

/**
 * A Keras config value as neurona's: keys camelCase, Keras envelopes `{ className, config }`, dtype
 * policies as names. Inert `dtype: 'float32'` inside nested objects (tf.keras initializers carry
 * one) is dropped.
 */
export function valueFromKeras(v: JsonValue, where: string, key = ''): JsonValue {
  if (Array.isArray(v)) return v.map((x, i) => valueFromKeras(x, `${where}[${i}]`));
  if (!isObject(v)) return v;
  refuseCode(v, where);
  if (key === 'dtype') return dtypeFromKeras(v, where);
  const cls = own(v, 'class_name');
  if (typeof cls === 'string') {
    const config = own(v, 'config') ?? {};
    if (!isObject(config)) throw new ModelFileError(`${where}: ${cls} config must be an object, got ${show(config)}`);
    const inner = valueFromKeras(config, `${where}.config`) as JsonObject;
    if (own(inner, 'dtype') === 'float32' && key !== '') delete inner.dtype;
    const registered = own(v, 'registered_name');
    const className = typeof registered === 'string' && registered.startsWith('neurona>') ? registered.slice('neurona>'.length) : cls;
    return { className, config: inner };
  }
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (ENVELOPE_KEYS.has(k)) continue;
    const ck = toCamel(k);
    out[ck] = valueFromKeras(x, `${where}.${k}`, ck);
  }
  return out;
}

/** Options that hold a layer (a wrapper's, a recurrent layer's cell, a stack's cells). */
const LAYER_OPTIONS = new Set(['layer', 'backwardLayer', 'cell', 'cells']);

/** The Keras module of an option's object, by the option's name. */
function moduleFor(key: string): string {
  if (LAYER_OPTIONS.has(key)) return 'keras.layers';
  if (key.endsWith('Initializer')) return 'keras.initializers';
  if (key.endsWith('Regularizer')) return 'keras.regularizers';
  if (key.endsWith('Constraint')) return 'keras.constraints';
  return 'keras';
}

/** A neurona config value as Keras 3's: snake_case keys, envelopes with module, dtype policies. */
export function valueToKeras(v: unknown, where: string, key = ''): JsonValue {
  if (v === undefined) return null;
  if (key === 'dtype' && typeof v === 'string') return dtypePolicy(v);
  // a list of layers (StackedRNNCells' cells) keeps its key's module
  if (Array.isArray(v)) return v.map((x, i) => valueToKeras(x, `${where}[${i}]`, LAYER_OPTIONS.has(key) ? key : ''));
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`save: ${where} is ${v}, which JSON cannot hold`);
  if (typeof v !== 'object' || v === null) return v as JsonValue;
  const o = v as Record<string, unknown>;
  if (typeof o.className === 'string') {
    if (key === 'activation') {
      throw new Error(
        `save: ${where} is ${o.className} with settings ${show(o.config)}; Keras activations take no settings ` +
          '(use the layer form instead, e.g. a LeakyReLU layer after a linear Dense)',
      );
    }
    const config: JsonObject = {};
    for (const [k, x] of Object.entries((o.config as Record<string, unknown> | undefined) ?? {})) config[toSnake(k)] = valueToKeras(x, `${where}.${k}`, k);
    return { module: moduleFor(key), class_name: o.className, config, registered_name: null };
  }
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(o)) out[toSnake(k)] = valueToKeras(x, `${where}.${k}`, k);
  return out;
}
