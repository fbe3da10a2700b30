import { checkOptions } from '@neurona/common';
import {
  eventually,
  labelPair,
  readPairAsync,
  uniqueLabels,
  type Eventually,
  type Label,
  type LabelsInput,
  type LabelsLike,
} from './labels';

/** Options of `confusionMatrix`. */
export interface ConfusionMatrixOptions {
  /** Integer labels 0..numClasses-1 in this order, even classes absent from the data. */
  numClasses?: number;
  /** The classes (rows and columns) in this order; samples of other classes are left out, as scikit-learn. */
  labels?: readonly Label[];
  /** Divide by row sums (`'true'`), column sums (`'pred'`) or the total (`'all'`); 0/0 gives 0. */
  normalize?: 'true' | 'pred' | 'all' | null;
}

function div(x: number, d: number): number {
  return d === 0 ? 0 : x / d;
}

/**
 * The confusion matrix as scikit-learn's: `m[i][j]` counts samples of true class `labels[i]`
 * predicted as `labels[j]`. Takes integer tensors (e.g. `yTest.argMax(1)`) or arrays, or promises
 * of them (`yTest.argMax(1).data()`), then returning a promise.
 * `confusionMatrix([0, 1, 1], [0, 1, 0])` → `[[1, 0], [1, 1]]`.
 */
export function confusionMatrix<A extends LabelsInput, B extends LabelsInput>(
  yTrue: A,
  yPred: B,
  options: ConfusionMatrixOptions = {},
): Eventually<A, B, number[][]> {
  return eventually('confusionMatrix', yTrue, yPred, (t, p) => matrix('confusionMatrix', t, p, options)) as Eventually<A, B, number[][]>;
}

/**
 * `confusionMatrix` reading tensors with `await tensor.data()`: works on backends without
 * synchronous reads (WebGPU in Node).
 */
export async function confusionMatrixAsync(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: ConfusionMatrixOptions = {},
): Promise<number[][]> {
  const [t, p] = await readPairAsync('confusionMatrixAsync', yTrue, yPred);
  return matrix('confusionMatrixAsync', t, p, options);
}

function matrix(where: string, yTrue: LabelsLike, yPred: LabelsLike, options: ConfusionMatrixOptions): number[][] {
  checkOptions(where, options, ['numClasses', 'labels', 'normalize']);
  const [t, p] = labelPair(where, yTrue, yPred);
  let labels: Label[];
  if (options.numClasses !== undefined) {
    const n = options.numClasses;
    if (!Number.isInteger(n) || n < 1) throw new Error(`${where}: numClasses must be an integer >= 1, got ${n}`);
    for (const [name, ys] of [['yTrue', t], ['yPred', p]] as const) {
      const bad = ys.find((v) => typeof v !== 'number' || v < 0 || v >= n);
      if (bad !== undefined) {
        throw new Error(`${where}: ${name} must hold integers in [0, ${n}) for numClasses ${n}, found ${JSON.stringify(bad)}`);
      }
    }
    labels = Array.from({ length: n }, (_, i) => i);
  } else if (options.labels !== undefined) {
    labels = [...options.labels];
    if (labels.length === 0) throw new Error(`${where}: labels must name at least one class, got []`);
    const present = new Set(t);
    if (!labels.some((l) => present.has(l))) throw new Error(`${where}: at least one label in labels must be in yTrue`);
  } else {
    labels = uniqueLabels(where, t, p);
  }
  const index = new Map<Label, number>();
  labels.forEach((l, i) => {
    if (!index.has(l)) index.set(l, i);
  });
  const m = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]);
    const b = index.get(p[i]);
    if (a !== undefined && b !== undefined) m[a][b]++;
  }
  const norm = options.normalize ?? null;
  if (norm === null) return m;
  if (norm === 'true') return m.map((row) => row.map((x) => div(x, row.reduce((s, v) => s + v, 0))));
  if (norm === 'pred') {
    const cols = labels.map((_, j) => m.reduce((s, row) => s + row[j], 0));
    return m.map((row) => row.map((x, j) => div(x, cols[j])));
  }
  if (norm === 'all') {
    const total = m.reduce((s, row) => s + row.reduce((a, v) => a + v, 0), 0);
    return m.map((row) => row.map((x) => div(x, total)));
  }
  throw new Error(`${where}: normalize must be 'true', 'pred', 'all' or null, got ${JSON.stringify(norm)}`);
}
