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
  return modelFromTopology({ class_name: className, config: keysToSnake(config) as JsonObject }, () => undefined);
}

registry.builtin('Sequential', (config) => modelFromConfig('Sequential', config));
registry.builtin('Functional', (config) => modelFromConfig('Functional', config), ['Model']);
