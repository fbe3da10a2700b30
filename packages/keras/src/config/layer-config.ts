// One layer's Keras config both ways: generic respelling plus the class's rule (layer-table.ts).
// An option neurona cannot represent is refused with the class and option named; none is dropped
// unless it is inert (a Keras-only option at the value that changes nothing).
import { ModelFileError } from '@neurona/models';
import type { Layer } from '@neurona/layers';
import { toSnake } from './case';
import { isObject, own, show } from './json';
import type { JsonObject, JsonValue } from './json';
import { GLOBAL_INERT, KERAS1_RENAME, ruleOf } from './layer-table';
import { LEGACY_HARD_SIGMOID, legacyActivation } from './legacy-activations';
import { valueFromKeras, valueToKeras } from './objects';

/** Class names neurona writes under its own registered name (Keras knows them only if registered). */
export const NEURONA_ONLY = new Set(['Maxout']);

/** How a file's configs are read. */
export interface ReadContext {
  /** Written by Keras 1 or 2: `hard_sigmoid` means their clip(0.2·x + 0.5) (legacy-activations.ts). */
  legacy?: boolean;
}

/** A Keras layer config (snake_case, Keras envelopes) as neurona's `getConfig()` form. */
export function layerConfigFromKeras(className: string, raw: JsonObject, where: string, context: ReadContext = {}): JsonObject {
  return applyRules(className, valueFromKeras(raw, where) as JsonObject, where, context);
}

/** Options holding a layer's `{ className, config }` (wrappers, recurrent cells), read by the same rules. */
const NESTED_LAYERS = ['layer', 'backwardLayer', 'cell'];

/** The class's renames and inert options on a converted config, and on the layers it holds. */
function applyRules(className: string, config: JsonObject, where: string, context: ReadContext): JsonObject {
  const rule = ruleOf(className);
  // tf.keras 2 wrote `dtype: null` on the layer inside a wrapper: the wrapper's dtype applies
  if (config.dtype === null) delete config.dtype;
  if (context.legacy) for (const k of Object.keys(config)) config[k] = legacyActivation(k, config[k]) as JsonValue;
  // Keras 1's Dense names (output_dim, init...) are real options of Embedding (input_dim, output_dim)
  const keras1 = className === 'Embedding' ? {} : KERAS1_RENAME;
  for (const [from, to] of Object.entries({ ...keras1, ...rule.readRename })) {
    if (own(config, from) === undefined) continue;
    if (own(config, to) !== undefined) throw new ModelFileError(`${where}: ${className} has both ${from} and ${to}`);
    config[to] = config[from];
    delete config[from];
  }
  // Keras 1: input_dim alongside batch_input_shape
  if (own(config, 'inputDim') !== undefined && className !== 'Embedding') {
    if (own(config, 'batchInputShape') === undefined) config.batchInputShape = [null, config.inputDim];
    delete config.inputDim;
  }
  const inert = { ...GLOBAL_INERT, ...rule.inert };
  for (const [k, v] of Object.entries(config)) {
    if (k.endsWith('Constraint')) {
      if (v !== null) throw new ModelFileError(`${where}: ${className} option ${k} = ${show(v)} is not supported by neurona (it has no weight constraints)`);
      delete config[k];
    } else if (Object.prototype.hasOwnProperty.call(inert, k)) {
      const inertHere = inert[k](v);
      // an option the class has itself (channels_first images) is kept unless inert
      if (rule.keeps?.includes(k)) {
        if (inertHere) delete config[k];
        continue;
      }
      if (!inertHere) throw new ModelFileError(`${where}: ${className} option ${k} = ${show(v)} is not supported by neurona`);
      delete config[k];
    }
  }
  if (rule.accepts) {
    const extra = Object.keys(config).filter((k) => !rule.accepts?.includes(k) && k !== 'trainable');
    if (extra.length > 0) throw new ModelFileError(`${where}: ${className} option ${extra[0]} = ${show(config[extra[0]])} is not supported by neurona`);
    delete config.trainable;
  }
  const nested = (v: JsonValue, at: string): void => {
    if (!isObject(v) || typeof v.className !== 'string' || !isObject(v.config)) return;
    v.config = applyRules(v.className, v.config, at, context);
  };
  for (const k of NESTED_LAYERS) nested(own(config, k) as JsonValue, `${where}.${k}`);
  const cells = own(config, 'cells');
  if (Array.isArray(cells)) cells.forEach((c, i) => nested(c, `${where}.cells[${i}]`));
  return config;
}

/** The Keras 3 config of one of our layers (snake_case, envelopes, Keras's own option names). */
export function layerConfigToKeras(layer: Layer, options: { dropInputShape?: boolean } = {}): JsonObject {
  const config = layer.getConfig();
  const rule = ruleOf(layer.className);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    if (v === LEGACY_HARD_SIGMOID) {
      throw new Error(
        `save: ${layer.className} "${layer.name}".${k} is Keras 2's hard_sigmoid (clip(0.2·x + 0.5), read from a Keras 1/2 file); ` +
          "Keras 3's hard_sigmoid is relu6(x + 3) / 6 and Keras has no name for the old one, so the file would predict differently. " +
          "Set the layer's activation to 'hard_sigmoid' or 'sigmoid' (and fine-tune) before saving it as a Keras file",
      );
    }
    if (options.dropInputShape && (k === 'batchInputShape' || k === 'inputShape' || k === 'batchSize')) continue;
    if (rule.writeOmit?.includes(k)) continue;
    const key = rule.writeRename?.[k] ?? toSnake(k);
    out[key] = valueToKeras(v, `${layer.className} "${layer.name}".${k}`, k);
  }
  for (const [k, v] of Object.entries(rule.writeExtra ?? {})) if (own(out, k) === undefined) out[k] = v;
  return out;
}

/** True for a Keras nested-model entry (a model used as a layer). */
export function isNestedModel(entry: JsonValue): boolean {
  if (!isObject(entry)) return false;
  const cls = own(entry, 'class_name');
  return cls === 'Sequential' || cls === 'Functional' || cls === 'Model';
}
