import type { Tensor } from '@neurona/tensor';
import { describe, isNumericArray, isTensor } from './data';
import type { Labels } from './types';

type Key = number | string;

/** Samples grouped by class: `classOf[i]` indexes `names`/`counts`, classes sorted as np.unique. */
export interface ClassLabels {
  classOf: Int32Array;
  names: string[];
  counts: number[];
}

// A one-hot row is its column index; any other row is one class per distinct row (as scikit-learn
// does for 2-D y), keyed by its text.
function rowKey(row: ArrayLike<unknown>): Key {
  let hot = -1;
  for (let j = 0; j < row.length; j++) {
    const v = row[j];
    if (v === 1 && hot === -1) hot = j;
    else if (v !== 0) return Array.from(row).join(',');
  }
  return hot === -1 ? Array.from(row).join(',') : hot;
}

function tensorKeys(t: Tensor): Key[] {
  const n = t.shape[0];
  if (t.dtype === 'string') {
    return (t.arraySync() as unknown[]).map((v) => (Array.isArray(v) ? v.join(',') : String(v)));
  }
  const data = t.dataSync();
  const width = n === 0 ? 0 : data.length / n;
  const keys: Key[] = [];
  if (width === 1) {
    for (let i = 0; i < n; i++) keys[i] = data[i];
  } else {
    for (let i = 0; i < n; i++) keys[i] = rowKey(data.subarray(i * width, (i + 1) * width));
  }
  return keys;
}

function arrayKeys(who: string, a: readonly unknown[]): Key[] {
  return a.map((v, i) => {
    if (typeof v === 'number' || typeof v === 'string') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (Array.isArray(v) || isNumericArray(v)) return rowKey(v as ArrayLike<unknown>);
    throw new Error(`${who}: labels must be numbers, strings or rows (one-hot), got ${describe(v)} at sample ${i}`);
  });
}

const compare = (a: Key, b: Key) =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;

/** Class of every sample, from integer/string labels or one-hot rows (tensor or arrays). */
export function classLabels(who: string, labels: Labels, n: number): ClassLabels {
  let keys: Key[];
  if (isTensor(labels)) {
    if (labels.rank === 0) throw new Error(`${who}: labels must have one entry per sample, got a scalar tensor`);
    keys = tensorKeys(labels);
  } else if (isNumericArray(labels)) {
    keys = Array.from(labels);
  } else if (Array.isArray(labels)) {
    keys = arrayKeys(who, labels);
  } else {
    throw new Error(`${who}: stratify labels must be a tensor, a typed array or an array, got ${describe(labels)}`);
  }
  if (keys.length !== n) {
    throw new Error(`${who}: stratify labels must have one entry per sample (${n}), got ${keys.length}`);
  }
  const distinct = [...new Set(keys)].sort(compare);
  const index = new Map<Key, number>(distinct.map((k, i) => [k, i]));
  const classOf = new Int32Array(n);
  const counts = Array.from({ length: distinct.length }, (): number => 0);
  for (let i = 0; i < n; i++) {
    const c = index.get(keys[i]) as number;
    classOf[i] = c;
    counts[c]++;
  }
  return { classOf, names: distinct.map((k) => (typeof k === 'number' ? String(k) : JSON.stringify(k))), counts };
}

/** Sample indices of each class, in sample order. */
export function indicesByClass(labels: ClassLabels): number[][] {
  const out = labels.counts.map(() => [] as number[]);
  labels.classOf.forEach((c, i) => out[c].push(i));
  return out;
}
