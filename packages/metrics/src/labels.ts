import { isTensor, type Tensor } from '@neurona/tensor';
import { fmt } from './shapes';

/** One class label: an integer class index or a string name. */
export type Label = number | string;

/** Class labels as scikit-learn takes them: a 1-D tensor (int, float or bool), a typed array or a plain array. */
export type LabelsLike = Tensor | ArrayLike<number> | ArrayLike<string> | readonly Label[];

/** Labels, or a promise of them (`yTest.argMax(1).data()`): the functions taking one return a promise. */
export type LabelsInput = LabelsLike | PromiseLike<LabelsLike>;

/** `Promise<R>` when either labels argument is a promise, else `R`. */
export type Eventually<A, B, R> = A extends PromiseLike<unknown> ? Promise<R> : B extends PromiseLike<unknown> ? Promise<R> : R;


/** True for a promise (anything with a `then` method). */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

// the functions with an ...Async form; the others take promises of the labels
const ASYNC_FORMS = new Set(['classificationReport', 'confusionMatrix', 'precisionRecallFscoreSupport']);

function asyncHint(where: string): string {
  return ASYNC_FORMS.has(where)
    ? `use await ${where}Async(yTrue, yPred, options), which reads tensors with await tensor.data()`
    : `pass promises of the labels: await ${where}(yTrue.data(), yPred.data(), options)`;
}

function checkTensorShape(where: string, arg: string, y: Tensor): void {
  if (!(y.rank === 1 || (y.rank === 2 && y.shape[1] === 1))) {
    throw new Error(
      `${where}: ${arg} must hold one class label per sample (shape [n]), got a tensor of shape ${fmt(y.shape)}` +
        (y.rank === 2 ? `; for one-hot rows or probabilities pass ${arg}.argMax(-1)` : ''),
    );
  }
}

function readTensorSync(where: string, arg: string, y: Tensor): Label[] {
  checkTensorShape(where, arg, y);
  try {
    return y.dtype === 'string' ? (y.arraySync() as unknown as Label[]).flat() : Array.from(y.dataSync() as ArrayLike<number>);
  } catch (e) {
    if ((y as { isDisposed?: boolean }).isDisposed === true) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      `${where}: could not read ${arg} synchronously (${why}). On a backend without synchronous reads ` +
        `(WebGPU in Node), ${asyncHint(where)}`,
      { cause: e },
    );
  }
}

/** Labels read without blocking: a tensor through `await tensor.data()`, anything else as is. */
export async function readLabelsAsync(where: string, arg: string, y: LabelsInput): Promise<LabelsLike> {
  const v = await y;
  if (!isTensor(v)) return v;
  checkTensorShape(where, arg, v);
  return v.dtype === 'string' ? ((await v.array()) as unknown as Label[]).flat() : Array.from((await v.data()) as ArrayLike<number>);
}

/** Both label arguments read without blocking. */
export function readPairAsync(where: string, yTrue: LabelsInput, yPred: LabelsInput): Promise<[LabelsLike, LabelsLike]> {
  return Promise.all([readLabelsAsync(where, 'yTrue', yTrue), readLabelsAsync(where, 'yPred', yPred)]);
}

/**
 * Run `fn` on the labels now, or, when either argument is a promise, once both are read (tensors
 * with `await tensor.data()`), returning a promise.
 */
export function eventually<R>(
  where: string,
  yTrue: LabelsInput,
  yPred: LabelsInput,
  fn: (yTrue: LabelsLike, yPred: LabelsLike) => R,
): R | Promise<R> {
  if (isThenable(yTrue) || isThenable(yPred)) return readPairAsync(where, yTrue, yPred).then(([t, p]) => fn(t, p));
  return fn(yTrue as LabelsLike, yPred as LabelsLike);
}

/**
 * Read labels into a plain array: 1-D tensors (or `[n, 1]`), typed arrays and arrays. Probabilities,
 * one-hot rows and NaN are rejected with a hint, as scikit-learn rejects continuous targets. A
 * tensor is read with `dataSync()`; where that throws, the error names the asynchronous form.
 */
export function toLabels(where: string, arg: string, y: LabelsLike): Label[] {
  let out: Label[];
  if (isTensor(y)) {
    out = readTensorSync(where, arg, y);
  } else if (isThenable(y)) {
    throw new Error(`${where}: ${arg} is a promise here; await it first`);
  } else if (y !== null && typeof y === 'object' && typeof (y as ArrayLike<Label>).length === 'number') {
    out = Array.from(y as ArrayLike<Label>);
  } else {
    throw new Error(`${where}: ${arg} must be a tensor or an array of class labels, got ${typeof y}`);
  }
  let kind: 'number' | 'string' | null = null;
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    if (Array.isArray(v)) {
      throw new Error(`${where}: ${arg} must be 1-D (one label per sample); found a nested array at index ${i}`);
    }
    const k = typeof v;
    if (k !== 'number' && k !== 'string') {
      throw new Error(`${where}: ${arg} must hold numbers or strings, found ${k} at index ${i}`);
    }
    if (k === 'number' && !Number.isFinite(v)) {
      throw new Error(`${where}: ${arg} must hold finite class labels, found ${v} at index ${i}`);
    }
    if (k === 'number' && !Number.isInteger(v)) {
      throw new Error(
        `${where}: ${arg} must hold class labels, found the continuous value ${v} at index ${i}; ` +
          `pass predicted classes (e.g. predictions.argMax(-1)), not probabilities`,
      );
    }
    if (kind !== null && kind !== k) {
      throw new Error(`${where}: ${arg} mixes numbers and strings (index ${i}); use one label type`);
    }
    kind = k as 'number' | 'string';
  }
  return out;
}

/** Sort order of scikit-learn's `unique_labels` (numpy's sort): numbers ascending, strings by code point. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Sorted distinct labels of both arrays; numbers and strings together are an error, as scikit-learn. */
export function uniqueLabels(where: string, ...ys: Label[][]): Label[] {
  const set = new Set<Label>();
  for (const y of ys) for (const v of y) set.add(v);
  const all = [...set];
  if (all.some((v) => typeof v === 'number') && all.some((v) => typeof v === 'string')) {
    throw new Error(`${where}: mix of label input types (string and number) between yTrue and yPred`);
  }
  return all.sort(compareLabels);
}

/** Both label arrays, checked for equal length. */
export function labelPair(where: string, yTrue: LabelsLike, yPred: LabelsLike): [Label[], Label[]] {
  const t = toLabels(where, 'yTrue', yTrue);
  const p = toLabels(where, 'yPred', yPred);
  if (t.length !== p.length) {
    throw new Error(`${where}: found input variables with inconsistent numbers of samples: [${t.length}, ${p.length}] (yTrue, yPred)`);
  }
  if (t.length === 0) throw new Error(`${where}: yTrue and yPred are empty; expected at least one sample`);
  return [t, p];
}
