import { createRegistry, describeValue, type Registry, type RegisterOptions } from '@neurona/common';
import type { Layer, LayerConfig, SerializedLayer } from './layer';
import { registerBuiltinLayers } from './builtin-layers';

/** Rebuilds a layer from its `getConfig()`. */
export type LayerFromConfig = (config: LayerConfig) => Layer;

/**
 * A layer class `registerLayer` takes: a `Layer` subclass with Keras's class name as a static
 * `className` and, optionally, a static `fromConfig` (default: `new Class(config)`).
 */
export interface LayerClass {
  readonly className: string;
  readonly prototype: Layer;
  fromConfig?: LayerFromConfig;
  new (...args: never[]): Layer;
}

/**
 * Every layer class `deserializeLayer` knows, by Keras class name: the one registry
 * (`@neurona/common`), exact names as Keras. Add yours with `registerLayer`. The built-in classes
 * are filled in on its first use (`registerBuiltinLayers`), so a bundle that never looks a layer
 * up by name (no `deserializeLayer`, no model loading) ships only the layers it constructs.
 */
export const registry: Registry<LayerFromConfig> = /* @__PURE__ */ createRegistry<LayerFromConfig>('layers', {
  kind: 'layer class',
  plural: 'layer classes',
  registerName: 'registerLayer',
  loose: false,
  load: () => registerBuiltinLayers(registry),
});

// Duck-typed rather than `instanceof Layer`: a class built on another copy of this package (the
// CommonJS build beside the ESM one) is a layer class all the same.
function isLayerClass(x: unknown): x is LayerClass {
  if (typeof x !== 'function') return false;
  const proto = (x as { prototype?: unknown }).prototype as Partial<Layer> | undefined;
  return (
    typeof (x as { className?: unknown }).className === 'string' &&
    !!proto &&
    typeof proto.apply === 'function' &&
    typeof proto.call === 'function' &&
    typeof proto.getConfig === 'function'
  );
}

/**
 * Make a contributed layer class loadable by `deserializeLayer` and model loading, in one call,
 * as Keras 3's `register_keras_serializable`: `registerLayer(MyLayer)` (its static `className`,
 * and its static `fromConfig` or `new MyLayer(config)`), or `registerLayer(MyLayer, { package:
 * 'mylib' })`. The key is `package>ClassName` (package `'Custom'` unless given); files that name
 * the class alone still find it. A name already taken is an error unless `{ override: true }`.
 * The 0.1 form `registerLayer('MyLayer', fromConfig)` still works. Returns the key.
 */
export function registerLayer(cls: LayerClass, options?: RegisterOptions & { name?: string }): string;
export function registerLayer(className: string, fromConfig: LayerFromConfig, options?: RegisterOptions): string;
export function registerLayer(
  a: LayerClass | string,
  b?: LayerFromConfig | (RegisterOptions & { name?: string }),
  c?: RegisterOptions,
): string {
  if (typeof a === 'string') {
    if (a.length === 0) throw new Error(`registerLayer: className must be a non-empty string, got ""`);
    if (typeof b !== 'function') {
      throw new Error(`registerLayer("${a}"): expected a function (config) => Layer, got ${describeValue(b)}`);
    }
    return registry.register(a, b, c);
  }
  if (!isLayerClass(a)) {
    throw new Error(
      `registerLayer: expected a Layer subclass with a static className (class MyLayer extends Layer { static className = 'MyLayer' ... }) ` +
        `or (className, fromConfig), got ${describeValue(a)}`,
    );
  }
  const options = (b ?? {}) as RegisterOptions & { name?: string };
  const name = options.name ?? a.className;
  return registry.register(name, fromConfigOf(a), { package: options.package, override: options.override });
}

// One function per class, so registering the same class again is recognized as harmless.
const FROM_CONFIG = new WeakMap<LayerClass, LayerFromConfig>();
function fromConfigOf(cls: LayerClass): LayerFromConfig {
  let f = FROM_CONFIG.get(cls);
  if (!f) {
    const own = cls.fromConfig;
    f = typeof own === 'function' ? (config) => own.call(cls, config) : (config) => new (cls as unknown as new (c: LayerConfig) => Layer)(config);
    FROM_CONFIG.set(cls, f);
  }
  return f;
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
    throw new Error(`Unknown layer class "${className}". Known layer classes: ${registry.names().join(', ')}`);
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
