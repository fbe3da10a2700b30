// A model built from Keras JSON with every weight allocation checked against a budget, for
// loaders of other formats (the Keras package) that know how many weight values a file holds.
import type { Layer } from '@neurona/layers';
import type { LayersModel } from '../model';
import { ModelFileError, show } from './errors';
import { assertPlainJson, isObject } from './read';
import { modelFromTopology } from './topology-read';
import { elementCount, fmtShape, MAX_WEIGHT_ELEMENTS } from './weight-specs';
import type { JsonObject } from './types';

type AddWeight = Layer['addWeight'];

/** Options of `buildModelFromTopology`. */
export interface BuildOptions {
  /** The most weight values (elements) the model may create in all; more is a ModelFileError. */
  maxWeightValues: number;
  /** Start every weight at zero instead of its initializer (the caller assigns them). Default true. */
  zeros?: boolean;
}

/**
 * Guards weight creation while a model is rebuilt: a layer config can ask for any size
 * (`units: 1e12`), so every weight is checked against the budget before it is allocated. With
 * `zeros`, weights start as zeros (the file overwrites them): no costly initializer runs and the
 * global random stream is left untouched.
 */
export function allocationGuard(budget: number, zerosInit: boolean): { before: (l: Layer) => void; release: () => void; layers: Layer[] } {
  const guarded: Layer[] = [];
  let used = 0;
  return {
    before(layer) {
      const original: AddWeight = layer.addWeight.bind(layer);
      const guard: AddWeight = (name, shape, initializer, options) => {
        if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
          throw new ModelFileError(`layer "${layer.name}" would create weight "${name}" of shape ${show(shape)}; its config is invalid`);
        }
        const n = elementCount(shape);
        used += n;
        if (n > MAX_WEIGHT_ELEMENTS || used > budget) {
          throw new ModelFileError(
            `layer "${layer.name}" would create weight "${name}" of shape ${fmtShape(shape)} (${n} values), but the file ` +
              `declares ${budget} weight values in all; its config does not match its weights`,
          );
        }
        return original(name, shape, zerosInit ? 'zeros' : initializer, options);
      };
      (layer as { addWeight: AddWeight }).addWeight = guard;
      guarded.push(layer);
    },
    release() {
      for (const l of guarded) delete (l as Partial<{ addWeight: AddWeight }>).addWeight;
    },
    layers: guarded,
  };
}

/**
 * A model from Keras/TensorFlow.js JSON (`{ class_name: 'Sequential' | 'Model', config }`, layer
 * configs in snake_case or camelCase), with fresh weights that are zeros unless `zeros: false`.
 * Layers come only from the layer registry; each weight is checked against `maxWeightValues`
 * before it is created. A malformed topology is a `ModelFileError`; a failure releases every
 * tensor made so far.
 */
export function buildModelFromTopology(topology: JsonObject, options: BuildOptions): LayersModel {
  if (!isObject(topology)) throw new ModelFileError(`the model topology must be an object, got ${show(topology)}`);
  assertPlainJson(topology, 'topology');
  const budget = options.maxWeightValues;
  if (typeof budget !== 'number' || !(budget >= 0)) throw new Error(`buildModelFromTopology: maxWeightValues must be a number >= 0, got ${show(budget)}`);
  const guard = allocationGuard(budget, options.zeros ?? true);
  try {
    try {
      return modelFromTopology(topology, guard.before);
    } finally {
      guard.release();
    }
  } catch (e) {
    for (const l of guard.layers) l.dispose();
    throw e;
  }
}
