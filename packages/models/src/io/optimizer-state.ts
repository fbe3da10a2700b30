// Which weight of the model each tensor of the optimizer state belongs to. An optimizer keeps
// state only for the variables it has updated, in the order it first saw them, which is not the
// model's order when a layer was frozen for a while or a branch got no gradient. So the state is
// saved as `<saved weight name>/<slot>` (`dense/kernel/momentum`: the layer-relative name the
// weights are saved under, never the tfjs variable name, which may carry a `_1` suffix) and
// restored by those names.
import type { Variable } from '@neurona/tensor';
import type { KerasOptimizer, Optimizer } from '@neurona/optimizers';
import type { LayersModel } from '../model';
import { ModelFileError } from './errors';
import { fmtShape } from './weight-specs';
import { namedWeights } from './weight-names';
import type { WeightSpec } from './types';

/** One tensor of the saved state: its index in `optimizer.getWeights()` and the name it is saved under. */
export interface StateEntry {
  index: number;
  name: string;
}

function strings(x: unknown): string[] | null {
  return Array.isArray(x) && x.every((n) => typeof n === 'string') ? x : null;
}

/** The result of the optimizer's method `key` when it has one returning strings (`BaseOptimizer` does). */
function callStrings(optimizer: Optimizer | null, key: 'getSlotNames' | 'getWeightNames'): string[] | null {
  const fn = (optimizer as Partial<KerasOptimizer> | null)?.[key];
  return typeof fn === 'function' ? strings(fn.call(optimizer)) : null;
}

/**
 * `names` (after 'iterations') read as groups of `<owner>/<slot>`, one group per variable with its
 * slots in `slots` order; null when they do not read so.
 */
function owners(names: readonly string[], slots: readonly string[]): string[] | null {
  const perVar = slots.length;
  if (perVar === 0 || (names.length - 1) % perVar !== 0) return null;
  const out: string[] = [];
  for (let first = 1; first < names.length; first += perVar) {
    let owner: string | null = null;
    for (let j = 0; j < perVar; j++) {
      const suffix = `/${slots[j]}`;
      const name = names[first + j];
      if (!name.endsWith(suffix) || name.length === suffix.length) return null;
      const o = name.slice(0, -suffix.length);
      if (owner !== null && o !== owner) return null;
      owner = o;
    }
    out.push(owner as string);
  }
  return out;
}

/**
 * What `save` writes of `optimizer.getWeights()` (`count` tensors): 'iterations', then the slots of
 * each of the model's variables the optimizer holds state for, in the optimizer's order, named
 * `<saved weight name>/<slot>`. State of variables outside the model (an optimizer shared with
 * another model) is left out. An optimizer that does not name its state (no `getWeightNames` /
 * `getSlotNames`) is saved whole, named as the model's trainable weights when the count fits them,
 * else `state_<i>` (restored by position).
 */
export function optimizerStateLayout(model: LayersModel, optimizer: Optimizer, count: number): StateEntry[] {
  const slots = callStrings(optimizer, 'getSlotNames');
  const names = callStrings(optimizer, 'getWeightNames');
  if (slots && names && names.length === count && names[0] === 'iterations') {
    if (count === 1) return [{ index: 0, name: 'iterations' }];
    const vars = owners(names, slots);
    if (vars) {
      const savedName = new Map(namedWeights(model).map((w) => [w.variable.name, w.name]));
      // a tfjs name is free again only once its variable is disposed, so when two groups carry one
      // name the later is the live variable
      const groupOf = new Map<string, number>();
      vars.forEach((v, k) => {
        if (savedName.has(v)) groupOf.set(v, k);
      });
      const out: StateEntry[] = [{ index: 0, name: 'iterations' }];
      vars.forEach((v, k) => {
        if (groupOf.get(v) !== k) return;
        slots.forEach((slot, j) => out.push({ index: 1 + k * slots.length + j, name: `${savedName.get(v)}/${slot}` }));
      });
      return out;
    }
  }
  return unnamedLayout(model, slots, count);
}

/** An optimizer that does not say which variable its state belongs to. */
function unnamedLayout(model: LayersModel, slotNames: string[] | null, count: number): StateEntry[] {
  const vars = namedWeights(model).filter((w) => w.variable.trainable);
  const perVar = vars.length > 0 ? (count - 1) / vars.length : 0;
  const out: StateEntry[] = [{ index: 0, name: 'iterations' }];
  if (Number.isInteger(perVar) && perVar > 0) {
    const slots = slotNames && slotNames.length === perVar ? slotNames : null;
    for (const w of vars) for (let j = 0; j < perVar; j++) out.push({ index: out.length, name: `${w.name}/${slots ? slots[j] : `slot${j}`}` });
  } else {
    for (let i = 1; i < count; i++) out.push({ index: i, name: `state_${i}` });
  }
  return out;
}

/**
 * The model's variables the saved state belongs to, in the file's order, when its names are
 * `<saved weight name>/<slot>` with the slots of `slotNames` (the compiled optimizer's) of one
 * weight together; null when the names do not read so (`state_<i>`, another optimizer's slots),
 * and the state is then restored by position. Throws, before anything is allocated, when a name
 * refers to a weight the model lacks or a slot's shape or dtype is not its weight's.
 */
export function savedStateOwners(model: LayersModel, specs: readonly WeightSpec[], slotNames: readonly string[]): Variable[] | null {
  if (specs.length === 1) return [];
  const names = owners(
    specs.map((s) => s.name),
    slotNames,
  );
  if (!names) return null;
  const byName = new Map(namedWeights(model).map((w) => [w.name, w.variable]));
  return names.map((owner, k) => {
    const v = byName.get(owner);
    for (let j = 0; j < slotNames.length; j++) {
      const spec = specs[1 + k * slotNames.length + j];
      if (!v) {
        const known = [...byName.keys()].slice(0, 20).map((n) => `"${n}"`).join(', ') || 'none';
        throw new ModelFileError(`optimizer state "${spec.name}": expected the slot of a weight of the model (${known}), got no weight "${owner}"`);
      }
      if (spec.dtype !== v.dtype || spec.shape.length !== v.shape.length || spec.shape.some((d, i) => d !== v.shape[i])) {
        throw new ModelFileError(
          `optimizer state "${spec.name}": expected ${v.dtype} ${fmtShape(v.shape)} (the shape of weight "${owner}"), got ${spec.dtype} ${fmtShape(spec.shape)}`,
        );
      }
    }
    return v as Variable;
  });
}
