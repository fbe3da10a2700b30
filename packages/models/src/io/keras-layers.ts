// Layer class names and configs between our layers and the Keras JSON of a tfjs Layers-format
// file. Layers both libraries have keep their Keras class name and snake_case config, so
// tfjs-layers loads them; layers only neurona has are written as `neurona>ClassName` (the
// documented extension), which tfjs rejects by name instead of misreading.
import type { LayerConfig } from '@neurona/layers';
import { ModelFileError, show } from './errors';
import { keysToCamel, keysToSnake } from './keras-case';
import { isObject, own } from './read';
import type { JsonObject, JsonValue } from './types';

/** Prefix of the class names of layers that only neurona has: `neurona>Maxout`. */
export const EXTENSION_PREFIX = 'neurona>';

/** Our built-in layers that Keras/tfjs-layers lack: written with `EXTENSION_PREFIX`. */
const NEURONA_ONLY = new Set(['Maxout']);

/** Keras's initializer class names where ours differ (tfjs spells LeCun with a capital C). */
const INITIALIZER_TO_KERAS: Record<string, string> = { LecunNormal: 'LeCunNormal', LecunUniform: 'LeCunUniform' };

/** Activation names tfjs-layers knows under another name. */
const ACTIVATION_TO_KERAS: Record<string, string> = { silu: 'swish' };

/** Keras-only options that are inert at these values; other values are refused as unsupported. */
const INERT: Record<string, (v: JsonValue) => boolean> = {
  kernelConstraint: (v) => v === null,
  biasConstraint: (v) => v === null,
  alphaConstraint: (v) => v === null,
  loraRank: (v) => v === null,
  loraAlpha: (v) => v === null,
  quantizationConfig: (v) => v === null,
  sparse: (v) => v === false || v === null,
  ragged: (v) => v === false || v === null,
  dataFormat: (v) => v === 'channels_last' || v === null,
  inputDtype: () => true,
};

/**
 * Options dropped at their inert value but otherwise handed to the layer, which takes or refuses
 * them itself: `channels_first` is a real option of the convolution, pooling, padding and image
 * layers, and an unknown option of the others.
 */
const PASSED_ON = new Set(['dataFormat']);

/** The class name a file stores for one of our layers. */
export function kerasLayerClassName(className: string): string {
  return NEURONA_ONLY.has(className) ? `${EXTENSION_PREFIX}${className}` : className;
}

/** Our registry name for a class name read from a file. */
export function ourLayerClassName(fileClassName: string): string {
  return fileClassName.startsWith(EXTENSION_PREFIX) ? fileClassName.slice(EXTENSION_PREFIX.length) : fileClassName;
}

function renameNested(value: JsonValue, key: string): JsonValue {
  if (!isObject(value)) {
    if (key === 'activation' && typeof value === 'string') return ACTIVATION_TO_KERAS[value] ?? value;
    return value;
  }
  const cls = own(value, 'className');
  if (typeof cls === 'string') {
    // regularizers: tfjs-layers knows only L1L2, which covers L1 and L2
    if ((cls === 'L1' || cls === 'L2') && isObject(value.config)) {
      const c = value.config;
      return { className: 'L1L2', config: { l1: cls === 'L1' ? (c.l1 ?? 0) : 0, l2: cls === 'L2' ? (c.l2 ?? 0) : 0 } };
    }
    if (INITIALIZER_TO_KERAS[cls]) return { ...value, className: INITIALIZER_TO_KERAS[cls] };
  }
  return value;
}

/** A layer's `getConfig()` as the Keras JSON of a file (snake_case keys, Keras class names inside). */
export function layerConfigToKeras(config: LayerConfig): JsonObject {
  const renamed: JsonObject = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    renamed[k] = renameNested(v as JsonValue, k);
  }
  return keysToSnake(renamed) as JsonObject;
}

/**
 * The Keras JSON config of a layer from a file as our camelCase config: keys respelt, inert
 * Keras-only options dropped, Keras defaults that differ from ours made explicit.
 */
export function layerConfigFromKeras(className: string, raw: JsonObject, where: string): LayerConfig {
  const config = keysToCamel(raw) as JsonObject;
  for (const [k, isInert] of Object.entries(INERT)) {
    if (!Object.prototype.hasOwnProperty.call(config, k)) continue;
    if (!isInert(config[k])) {
      if (PASSED_ON.has(k)) continue;
      throw new ModelFileError(`${where}: ${className} option ${k} = ${show(config[k])} is not supported by neurona`);
    }
    delete config[k];
  }
  // Keras 3 writes the dtype as a policy object
  const dtype = own(config, 'dtype');
  if (isObject(dtype) && isObject(dtype.config) && typeof dtype.config.name === 'string') config.dtype = dtype.config.name;
  // Keras's LeakyReLU slope defaults to 0.3; ours to 0.1 (the course's max(0.1x, x)): a file
  // without one means Keras's.
  if (className === 'LeakyReLU' && own(config, 'alpha') === undefined && own(config, 'negativeSlope') === undefined) {
    config.alpha = 0.3;
  }
  return config as LayerConfig;
}
