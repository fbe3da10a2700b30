import { ActivationLayer } from './activation';
import { AddLayer } from './add';
import { ConcatenateLayer } from './concatenate';
import { DenseLayer } from './dense';
import { DropoutLayer } from './dropout';
import { ELULayer } from './elu';
import { FlattenLayer } from './flatten';
import { InputLayerClass } from './input-layer';
import type { Layer, LayerConfig, SerializedLayer } from './layer';
import { LeakyReLULayer } from './leaky-relu';
import { MaxoutLayer } from './maxout';
import { PReLULayer } from './prelu';
import { ReLULayer } from './relu';
import { ReshapeLayer } from './reshape';
import { describeValue } from './shape';
import { SoftmaxLayer } from './softmax';

/** Rebuilds a layer from its `getConfig()`. */
export type LayerFromConfig = (config: LayerConfig) => Layer;

/** Every layer class `deserializeLayer` knows, by Keras class name. Add yours with `registerLayer`. */
export const registry: Map<string, LayerFromConfig> = new Map<string, LayerFromConfig>([
  ['InputLayer', InputLayerClass.fromConfig],
  ['Dense', DenseLayer.fromConfig],
  ['Flatten', FlattenLayer.fromConfig],
  ['Reshape', ReshapeLayer.fromConfig],
  ['Activation', ActivationLayer.fromConfig],
  ['Dropout', DropoutLayer.fromConfig],
  ['Maxout', MaxoutLayer.fromConfig],
  ['LeakyReLU', LeakyReLULayer.fromConfig],
  ['PReLU', PReLULayer.fromConfig],
  ['ELU', ELULayer.fromConfig],
  ['Softmax', SoftmaxLayer.fromConfig],
  ['ReLU', ReLULayer.fromConfig],
  ['Concatenate', ConcatenateLayer.fromConfig],
  ['Add', AddLayer.fromConfig],
]);

/** Make a contributed layer class loadable by `deserializeLayer`; a name already taken is an error. */
export function registerLayer(className: string, fromConfig: LayerFromConfig): void {
  if (typeof className !== 'string' || className.length === 0) {
    throw new Error(`registerLayer: className must be a non-empty string, got ${describeValue(className)}`);
  }
  if (typeof fromConfig !== 'function') {
    throw new Error(`registerLayer("${className}"): expected a function (config) => Layer, got ${describeValue(fromConfig)}`);
  }
  const existing = registry.get(className);
  if (existing && existing !== fromConfig) {
    throw new Error(`registerLayer: a layer class named "${className}" is already registered`);
  }
  registry.set(className, fromConfig);
}

/** `{ className, config }` of a layer: plain JSON that `deserializeLayer` turns back into a layer. */
export function serializeLayer(layer: Layer): SerializedLayer {
  return { className: layer.className, config: layer.getConfig() };
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A new layer (not built, fresh weights) from `{ className, config }`. Only registered classes are
 * made and the config is read as data: nothing in it is ever evaluated.
 */
export function deserializeLayer(serialized: SerializedLayer): Layer {
  if (!isPlainObject(serialized) || typeof serialized.className !== 'string') {
    throw new Error(`deserializeLayer expects { className: string, config: object }, got ${describeValue(serialized)}`);
  }
  const { className } = serialized;
  const fromConfig = registry.get(className);
  if (!fromConfig) {
    throw new Error(`Unknown layer class "${className}". Known layer classes: ${[...registry.keys()].join(', ')}`);
  }
  const config: unknown = serialized.config ?? {};
  if (!isPlainObject(config)) {
    throw new Error(`deserializeLayer: config of ${className} must be an object, got ${describeValue(config)}`);
  }
  // A JSON round trip keeps only data (no getters, functions or shared references).
  let data: LayerConfig;
  try {
    data = JSON.parse(JSON.stringify(config)) as LayerConfig;
  } catch (e) {
    throw new Error(`deserializeLayer: config of ${className} is not plain JSON data (${(e as Error).message})`, { cause: e });
  }
  try {
    return fromConfig(data);
  } catch (e) {
    throw new Error(`deserializeLayer: cannot rebuild ${className} from its config: ${(e as Error).message}`, { cause: e });
  }
}
