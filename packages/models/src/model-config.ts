// Models as layers of the one layer registry, as Keras registers `Sequential` and `Functional`:
// `deserializeLayer({ className: 'Sequential', config: model.getConfig() })` rebuilds a model, and a
// model nested in another one round-trips through `getConfig` like any layer.
import { registry } from '@neurona/layers';
import type { LayerConfig } from '@neurona/layers';
import type { LayersModel } from './model';
import { keysToSnake } from './io/keras-case';
import { modelFromTopology } from './io/topology-read';
import type { JsonObject } from './io/types';

/**
 * A model (fresh weights) from its `getConfig()`: `'Sequential'` or `'Functional'` (Keras 3's
 * name of functional models; `'Model'` too, tfjs's). The config is read as the layers of a saved
 * file are: only registered classes are made, nothing in it is evaluated.
 */
export function modelFromConfig(className: string, config: LayerConfig): LayersModel {
  registerModelClasses();
  return modelFromTopology({ class_name: className, config: keysToSnake(config) as JsonObject }, () => undefined);
}

const sequentialFromConfig = (config: LayerConfig): LayersModel => modelFromConfig('Sequential', config);
const functionalFromConfig = (config: LayerConfig): LayersModel => modelFromConfig('Functional', config);

/**
 * Make `Sequential` and `Functional` (alias `Model`) classes of the layer registry, so that
 * `deserializeLayer` and nested models in a `getConfig()` rebuild them; calling it again changes
 * nothing. Importing `@neurona/models` does it; a bundler drops that import-time call when the
 * page never reads its result, so model loading (`loadModel`, `modelFromConfig`, the Keras reader)
 * calls it itself, and a bundled page that calls `deserializeLayer` on a model's config directly
 * calls it first. Returns true.
 */
export function registerModelClasses(): true {
  registry.builtin('Sequential', sequentialFromConfig);
  registry.builtin('Functional', functionalFromConfig, ['Model']);
  return true;
}

/**
 * True once `Sequential` and `Functional` are layer classes of the registry: importing this
 * package registers them (Node, or any unbundled use). The call is marked pure, so a bundle that
 * never deserializes a model drops it, and with it the whole deserialization path (every built-in
 * layer); the loading functions register them when they run (see `registerModelClasses`).
 */
export const modelClassesRegistered: true = /* @__PURE__ */ registerModelClasses();
