import { checkKeys } from './check-keys';
import { sampleCount } from './data';
import { rngFor, shuffleInPlace } from './random';
import type { Fold, KFoldOptions, SplitData } from './types';

/** Check k against n as scikit-learn does; shared with stratifiedKFold. */
export function checkK(who: string, k: unknown, n: number): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 2) {
    throw new Error(`${who}: k must be an integer >= 2, got ${String(k)}`);
  }
  if (k > n) throw new Error(`${who}: k (${k}) cannot be greater than the number of samples (${n})`);
  return k;
}

/** The folds from each sample's test fold number: train = the other samples, both ascending. */
export function foldsFrom(testFold: Int32Array, k: number): Fold[] {
  const folds: Fold[] = Array.from({ length: k }, () => ({ trainIndex: [], testIndex: [] }));
  testFold.forEach((f, i) => {
    for (let j = 0; j < k; j++) (j === f ? folds[j].testIndex : folds[j].trainIndex).push(i);
  });
  return folds;
}

/**
 * k-fold cross-validation indices, as scikit-learn's `KFold`: the samples (shuffled first when
 * `shuffle`, seeded) are cut into k consecutive folds, the first `n % k` one larger; each fold is
 * the test set once. Pass the sample count or the data itself; use `take(x, fold.trainIndex)`.
 *
 * `for (const { trainIndex, testIndex } of kFold(x, { k: 5, shuffle: true, seed: 0 })) { ... }`
 */
export function kFold(nOrData: number | SplitData, options: KFoldOptions = {}): Fold[] {
  const who = 'kFold';
  checkKeys(who, options, ['k', 'shuffle', 'seed']);
  let n: number;
  if (typeof nOrData === 'number') {
    if (!Number.isInteger(nOrData) || nOrData < 0) throw new Error(`${who}: n must be a whole number of samples, got ${nOrData}`);
    n = nOrData;
  } else {
    n = sampleCount(who, 'data', nOrData);
  }
  const k = checkK(who, options.k ?? 5, n);
  const order = Array.from({ length: n }, (_, i) => i);
  if (options.shuffle) shuffleInPlace(order, rngFor(who, options.seed));
  const testFold = new Int32Array(n);
  let at = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let j = 0; j < size; j++) testFold[order[at++]] = f;
  }
  return foldsFrom(testFold, k);
}
