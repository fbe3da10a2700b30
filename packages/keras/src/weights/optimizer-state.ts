// The optimizer state of a Keras file (`optimizer/vars/<i>`, or a Keras 3 .h5's
// `optimizer_weights`) into neurona's optimizer, and neurona's state out in Keras's order.
import type { LayersModel } from '@neurona/models';
import { ModelFileError } from '@neurona/models';
import type { KerasOptimizer } from '@neurona/optimizers';
import { dispose, scalar, tensor } from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
import { toCamel } from '../config/case';
import type { JsonObject } from '../config/json';
import type { H5Dataset } from '../h5/tree';
import { kerasSlotGroups } from './optimizer-layout';

type BuildableOptimizer = NonNullable<LayersModel['optimizer']> & Partial<Pick<KerasOptimizer, 'build' | 'getSlotNames' | 'getWeightNames'>>;

/**
 * Restore Keras's optimizer variables (in `optimizer.variables` order) into the compiled model's
 * optimizer. Returns a warning when the file's state does not fit (the optimizer then starts
 * fresh, as Keras does), null when it was restored.
 */
export function restoreOptimizerState(model: LayersModel, values: H5Dataset[], className: string, config: JsonObject): string | null {
  const optimizer = model.optimizer as BuildableOptimizer | null;
  if (!optimizer || values.length === 0) return null;
  const groups = kerasSlotGroups(className, config);
  const slotNames = typeof optimizer.getSlotNames === 'function' ? optimizer.getSlotNames() : null;
  if (!groups || !slotNames || typeof optimizer.build !== 'function') return `the optimizer ${className} has no known Keras variable layout; it starts fresh`;
  const vars: Variable[] = model.trainableWeights;
  const perVar = groups.reduce((n, g) => n + g.length, 0);
  const slots = perVar * vars.length;
  const prefix = values.length - slots === 2 ? 2 : values.length - slots === 1 ? 1 : values.length <= 2 ? values.length : -1;
  const first = values[0];
  if (prefix < 0 || first.shape.length !== 0 || first.dtype.startsWith('float')) {
    return `the file has ${values.length} optimizer variables, ${className} on this model has ${slots} slots plus its counters; the optimizer starts fresh`;
  }
  const built = values.length > prefix;
  // each Keras slot, by neurona's name, at its index in `values`
  const where = new Map<string, (v: number) => number>();
  let offset = prefix;
  for (const g of groups) {
    const start = offset;
    g.forEach((s, j) => where.set(toCamel(s), (v) => start + v * g.length + j));
    offset += g.length * vars.length;
  }
  if (built && slotNames.some((s) => !where.has(s))) return `the file's ${className} slots (${groups.flat().join(', ')}) are not neurona's (${slotNames.join(', ')}); the optimizer starts fresh`;
  const list: Tensor[] = [scalar(first.values[0], 'int32')];
  try {
    if (built) {
      vars.forEach((v, k) => {
        for (const s of slotNames) {
          const d = values[(where.get(s) as (v: number) => number)(k)];
          if (d.shape.length !== v.shape.length || d.shape.some((x, i) => x !== v.shape[i])) {
            throw new ModelFileError(`optimizer state: slot ${s} of weight ${v.name} has shape [${d.shape.join(', ')}], the weight [${v.shape.join(', ')}]`);
          }
          list.push(tensor(d.values, d.shape, 'float32'));
        }
      });
      optimizer.build(vars);
    }
    optimizer.setWeights(list);
    if (prefix === 2 && typeof config.learningRate === 'number' && values[1].shape.length === 0) {
      optimizer.learningRate = values[1].values[0];
    }
  } finally {
    dispose(list);
  }
  return null;
}

/** One optimizer variable to write: a name (for legacy .h5) and its values. */
export interface StateTensor {
  name: string;
  shape: number[];
  dtype: 'int64' | 'float32';
  values: Float32Array | Int32Array;
}

/**
 * neurona's optimizer state in Keras's `optimizer.variables` order: iterations, learning rate,
 * then each slot group interleaved per trainable variable. Slots of variables the optimizer has
 * not updated yet are written at their initial value, as Keras creates them.
 */
export async function optimizerStateToKeras(model: LayersModel, className: string, config: JsonObject, optimizerName: string): Promise<StateTensor[] | null> {
  const optimizer = model.optimizer as BuildableOptimizer | null;
  if (!optimizer) return null;
  const groups = kerasSlotGroups(className, config);
  if (!groups || typeof optimizer.getWeightNames !== 'function') return null;
  const weights = optimizer.getWeights();
  try {
    const names = optimizer.getWeightNames();
    const byName = new Map<string, Tensor>();
    names.forEach((n, i) => byName.set(n, weights[i]));
    const out: StateTensor[] = [
      { name: `${optimizerName}/iteration`, shape: [], dtype: 'int64', values: Int32Array.of(optimizer.iterations) },
    ];
    if (typeof config.learningRate === 'number') {
      out.push({ name: `${optimizerName}/learning_rate`, shape: [], dtype: 'float32', values: Float32Array.of(optimizer.learningRate) });
    }
    const initial = className === 'Adagrad' && typeof config.initialAccumulatorValue === 'number' ? config.initialAccumulatorValue : 0;
    const vars = model.trainableWeights;
    for (const g of groups) {
      for (const v of vars) {
        for (const s of g) {
          const t = byName.get(`${v.name}/${toCamel(s)}`);
          const values = t ? Float32Array.from(await t.data()) : new Float32Array(v.size).fill(s === 'accumulator' ? initial : 0);
          out.push({ name: `${optimizerName}/${v.name.replace(/\//g, '_')}_${s}`, shape: [...v.shape], dtype: 'float32', values });
        }
      }
    }
    return out;
  } finally {
    dispose(weights);
  }
}
