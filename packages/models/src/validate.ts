import { abs, any, argMax, cast, concat, gather, greater, isFinite as isFiniteOp, logicalNot, max, reshape, stack, sub, sum, tidy } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { BoundCompile } from './compile';
import type { Graph } from './graph';

/** `[null, 784]`: `formatShape` of @neurona/common. */
import { checkOptions, describeData, describeValue as literal, formatShape as fmt } from '@neurona/common';

export { fmt };

/** The options object of a method: an object whose keys are all `known` (the rule of @neurona/common). */
export function checkCommonOptions(where: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new Error(`${where}: options must be an object, got ${describeData(options)}`);
  }
  checkOptions(where, options, known);
}

/** A batch size: a positive integer or `'full'` (all samples: full-batch gradient descent). */
export type BatchSize = number | 'full';

/** Throws unless `value` is a positive integer or (where allowed) `'full'`. */
export function checkBatchSize(where: string, value: unknown, allowFull = true): BatchSize {
  if (value === 'full' && allowFull) return 'full';
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new Error(
      `${where}: batchSize must be a positive integer${allowFull ? " or 'full' (full-batch gradient descent)" : ''}, got ${literal(value)}`,
    );
  }
  return value;
}

/** Throws unless `value` is an integer >= min. */
export function checkInt(where: string, what: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${where}: ${what} must be ${min === 1 ? 'a positive integer' : `an integer >= ${min}`}, got ${literal(value)}`);
  }
  return value;
}

/** The common number of samples (first dimension) of every array; throws when they differ or are empty. */
export function sampleCount(where: string, named: [string, Tensor][]): number {
  for (const [name, t] of named) {
    if (t.rank === 0) throw new Error(`${where}: ${name} is a scalar; data needs a first (sample) dimension, got shape []`);
  }
  const n = named[0][1].shape[0];
  for (const [name, t] of named) {
    if (t.shape[0] !== n) {
      throw new Error(
        `${where}: ${named[0][0]} has ${n} samples but ${name} has ${t.shape[0]}; they must have the same first dimension ` +
          `(${named[0][0]} ${fmt(named[0][1].shape)}, ${name} ${fmt(t.shape)})`,
      );
    }
  }
  if (n === 0) throw new Error(`${where}: the data is empty (${named[0][0]} has shape ${fmt(named[0][1].shape)}, 0 samples)`);
  return n;
}

/** Throws when text is given to a numeric input, or numbers to a string input (`Input({ dtype: 'string' })`). */
export function checkInputDtypes(where: string, graph: Graph, xs: Tensor[], names: string[]): void {
  graph.inputs.forEach((input, i) => {
    const text = xs[i].dtype === 'string';
    if (text === (input.dtype === 'string')) return;
    throw new Error(
      text
        ? `${where}: ${names[i]} holds strings but input "${input.sourceLayer.name}" is ${input.dtype}; give the model Input({ dtype: 'string' }) and a text layer (TextVectorization, StringLookup)`
        : `${where}: input "${input.sourceLayer.name}" expects strings (dtype 'string'), got ${names[i]} of dtype ${xs[i].dtype}`,
    );
  });
}

/** Throws, naming the first layer and both shapes, when the data does not fit the model's inputs. */
export function checkInputShapes(where: string, graph: Graph, xs: Tensor[], names: string[]): void {
  graph.inputs.forEach((input, i) => {
    const got = xs[i].shape;
    const want = input.shape;
    const ok = got.length === want.length && want.every((d, j) => j === 0 || d === null || d === got[j]);
    if (ok) return;
    const consumer = graph.nodes.find((n) => n.inputTensors.includes(input))?.outboundLayer;
    const who = consumer ? `${consumer}` : `Input "${input.name}"`;
    const rankHint =
      got.length !== want.length && got.slice(1).reduce((a, b) => a * b, 1) === want.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1)
        ? ` (same size per sample: reshape the data to ${fmt([got[0], ...want.slice(1)])}, or add a Flatten/Reshape layer)`
        : '';
    throw new Error(`${where}: ${who} expects input ${fmt(want)}, got ${names[i]} of shape ${fmt(got)}${rankHint}`);
  });
}

/**
 * Check each target array against its output and loss before any kernel runs: integer labels given
 * to categorical cross-entropy, widths that differ from the output units, one-hot labels given to
 * the sparse loss. Returns the targets, reshaped `[n]` → `[n, 1]` where the output has one unit.
 */
export function checkTargetShapes(where: string, bound: BoundCompile, graph: Graph, ys: Tensor[], names: string[], owned: Tensor[]): Tensor[] {
  return bound.outputs.map((o) => {
    const y = ys[o.index];
    const out = graph.outputs[o.index].shape;
    const layer = graph.outputs[o.index].sourceLayer;
    const units = o.units;
    const yName = names[o.index];
    const cls = o.loss.className;
    const lossName = o.loss.name;
    const lead = out.slice(0, -1);
    if (cls === 'CategoricalCrossentropy' || cls === 'CategoricalHinge') {
      const looksLikeLabels = y.rank === out.length - 1 || (y.rank === out.length && y.shape[y.rank - 1] === 1 && units !== 1);
      if (looksLikeLabels) {
        throw new Error(
          `${where}: loss "${lossName}" expects one-hot labels of shape ${fmt([...lead.map((d, j) => (j === 0 ? y.shape[0] : d)), units])} ` +
            `(one column per class), but ${yName} has shape ${fmt(y.shape)}: integer class labels. ` +
            `Use loss: 'sparse_categorical_crossentropy', or one-hot encode ${yName} (oneHot(${yName}, ${units ?? 'classes'})).`,
        );
      }
    }
    if (cls === 'SparseCategoricalCrossentropy') {
      const okShape =
        (y.rank === out.length - 1 && lead.every((d, j) => j === 0 || d === null || d === y.shape[j])) ||
        (y.rank === out.length && y.shape[y.rank - 1] === 1);
      if (!okShape) {
        const oneHot = y.rank === out.length && units !== null && y.shape[y.rank - 1] === units;
        throw new Error(
          `${where}: loss "${lossName}" expects integer class labels of shape ${fmt([y.shape[0], ...lead.slice(1)])}, ` +
            `got ${yName} of shape ${fmt(y.shape)}` +
            (oneHot ? `: these look one-hot encoded; use loss: 'categorical_crossentropy' (or pass ${yName}.argMax(-1))` : ''),
        );
      }
      return y;
    }
    // a target [n] for an output [null, 1]: Keras expands it
    let t = y;
    if (y.rank === out.length - 1 && units === 1) {
      t = reshape(y, [...y.shape, 1]);
      owned.push(t);
    }
    if (cls === 'LossFunctionWrapper') return t;
    const same = t.rank === out.length && out.every((d, j) => j === 0 || d === null || d === t.shape[j]);
    if (!same) {
      const width = t.shape[t.rank - 1];
      const classes = cls.includes('Crossentropy') || cls.includes('Hinge');
      let detail = '';
      if (t.rank === out.length && units !== null && width !== units) {
        detail =
          width > units
            ? `: ${yName} has ${width} ${classes ? 'classes (columns)' : 'columns'} but the output layer "${layer.name}" has only ${units} units`
            : `: ${yName} has ${width} columns but the output layer "${layer.name}" has ${units} units`;
        detail += classes ? `. Give the last Dense as many units as classes (${width}).` : '.';
      }
      throw new Error(
        `${where}: ${yName} has shape ${fmt(t.shape)} but output "${layer.name}" gives ${fmt(out)} (loss "${lossName}")${detail}`,
      );
    }
    return t;
  });
}

/** Rows of one-hot (or probability) targets that do not sum to 1 (within 1e-3): the first such row. */
async function firstRowNotSummingToOne(y: Tensor): Promise<{ row: number; sum: number } | null> {
  const stats = tidy(() => {
    const sums = reshape(sum(cast(y, 'float32'), -1), [-1]);
    const off = cast(greater(abs(sub(sums, 1)), 1e-3), 'float32');
    const row = argMax(off);
    // each as [1] (a scalar index gathers [] on some backends and [1] on others)
    return concat([reshape(max(off), [1]), reshape(cast(row, 'float32'), [1]), reshape(gather(sums, reshape(row, [1])), [1])]);
  });
  const [bad, row, total] = await stats.data();
  stats.dispose();
  return bad > 0 ? { row, sum: total } : null;
}

/**
 * Label values the loss can use: integers in [0, units) for the sparse loss, [0, 1] for binary
 * cross-entropy, rows summing to 1 for categorical cross-entropy.
 */
export async function checkTargetValues(where: string, bound: BoundCompile, ys: Tensor[], names: string[]): Promise<void> {
  for (const o of bound.outputs) {
    const cls = o.loss.className;
    const y = ys[o.index];
    if (cls === 'CategoricalCrossentropy' && y.rank >= 2 && y.size > 0) {
      const bad = await firstRowNotSummingToOne(y);
      if (bad) {
        const width = y.shape[y.rank - 1];
        throw new Error(
          `${where}: loss "${o.loss.name}" expects one-hot rows (or class probabilities) that sum to 1, but row ${bad.row} of ${names[o.index]} ` +
            `sums to ${Number(bad.sum.toFixed(6))} (${width} columns). Several 1s in a row are multi-label targets: use sigmoid outputs ` +
            `with 'binary_crossentropy'; integer labels need 'sparse_categorical_crossentropy'.`,
        );
      }
      continue;
    }
    if (cls !== 'SparseCategoricalCrossentropy' && cls !== 'BinaryCrossentropy') continue;
    // integer and binary labels' range checks load when such a loss is used (a page training
    // with categorical cross-entropy does not download them)
    const { checkLabelRange } = await import('./label-range');
    await checkLabelRange(where, o, y, names[o.index]);
  }
}

// Tensors are immutable: once checked, a tensor stays finite. Repeated fits skip the scan.
const knownFinite = new WeakSet<Tensor>();

/** What the data is used for, in the advice of the NaN/Inf message. */
function purpose(where: string): string {
  if (where === 'predict') return 'predicting';
  if (where === 'evaluate' || where === 'testOnBatch') return 'evaluating';
  return 'training';
}

/**
 * The NaN/Inf scan shared by `checkFinite` (fit, evaluate: read asynchronously) and
 * `checkFiniteSync` (predict, which is synchronous): it yields each tensor to read back (the
 * caller reads and disposes it) and receives its values. One read for every array together; a
 * second, per array, only when its sum is not finite.
 */
function* finiteScan(where: string, named: [string, Tensor][]): Generator<Tensor, void, ArrayLike<number>> {
  const todo = named.filter(([, t]) => t.dtype === 'float32' && !knownFinite.has(t));
  if (todo.length === 0) return;
  // one fast pass: a sum is finite when every value is (or overflowed: checked exactly below)
  // (flattened first: a full reduction of a 2-D tensor makes the wasm backend transpose a copy)
  const values = yield tidy(() => stack(todo.map(([, t]) => sum(reshape(t, [-1])))));
  for (let i = 0; i < todo.length; i++) {
    const [name, t] = todo[i];
    if (Number.isFinite(values[i])) {
      knownFinite.add(t);
      continue;
    }
    const found = yield tidy(() => {
      const bad = logicalNot(isFiniteOp(t));
      const perSample = t.rank > 1 ? any(reshape(bad, [t.shape[0], -1]), 1) : bad;
      return stack([cast(any(perSample), 'float32'), cast(argMax(cast(perSample, 'float32')), 'float32')]);
    });
    const [has, index] = [found[0], found[1]];
    if (!has) {
      knownFinite.add(t);
      continue;
    }
    throw new Error(
      `${where}: ${name} contains NaN or Inf values (first in sample ${index}). ` +
        `Clean or impute the data before ${purpose(where)} (e.g. replace missing values, check divisions by zero).`,
    );
  }
}

/** Throws naming the array and the first bad sample when some value is NaN or infinite. */
export async function checkFinite(where: string, named: [string, Tensor][]): Promise<void> {
  const scan = finiteScan(where, named);
  for (let r = scan.next(); !r.done; ) {
    const t = r.value;
    let values: ArrayLike<number>;
    try {
      values = await t.data();
    } finally {
      t.dispose();
    }
    r = scan.next(values);
  }
}

/** `checkFinite` with synchronous reads, for `predict` (same checks, same messages). */
export function checkFiniteSync(where: string, named: [string, Tensor][]): void {
  const scan = finiteScan(where, named);
  for (let r = scan.next(); !r.done; ) {
    const t = r.value;
    let values: ArrayLike<number>;
    try {
      values = t.dataSync();
    } finally {
      t.dispose();
    }
    r = scan.next(values);
  }
}

