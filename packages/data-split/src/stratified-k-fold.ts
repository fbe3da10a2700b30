import { checkKeys } from './check-keys';
import { checkK, foldsFrom } from './k-fold';
import { classLabels } from './labels';
import { sampleCount } from './data';
import { rngFor, shuffleInPlace } from './random';
import type { Fold, KFoldOptions, Labels } from './types';

/**
 * Stratified k-fold indices, as scikit-learn's `StratifiedKFold`: every fold holds each class in
 * nearly its overall proportion (within one sample) and folds differ in size by at most one.
 * `y` is integer or string labels or one-hot rows. Without `shuffle`, each class fills the folds
 * in sample order; with it (seeded), the assignment within each class is shuffled.
 *
 * `for (const { trainIndex, testIndex } of stratifiedKFold(y, { k: 5, shuffle: true, seed: 0 })) { ... }`
 */
export function stratifiedKFold(y: Labels, options: KFoldOptions = {}): Fold[] {
  const who = 'stratifiedKFold';
  checkKeys(who, options, ['k', 'shuffle', 'seed']);
  const n = sampleCount(who, 'y', y);
  const k = checkK(who, options.k ?? 5, n);
  const labels = classLabels(who, y, n);
  const { counts, names, classOf } = labels;
  if (counts.every((c) => c < k)) {
    throw new Error(`${who}: k (${k}) cannot be greater than the number of samples in every class (largest: ${Math.max(...counts)})`);
  }
  const smallest = counts.indexOf(Math.min(...counts));
  if (counts[smallest] < k) {
    console.warn(
      `${who}: class ${names[smallest]} has only ${counts[smallest]} samples, fewer than k=${k}; some folds will not contain it`,
    );
  }
  // scikit-learn's allocation: deal the samples, sorted by class, round-robin to the folds, so each
  // fold gets floor or ceil of count/k per class and the fold sizes stay balanced.
  const sortedClasses = Array.from(classOf).sort((a, b) => a - b);
  const allocation = counts.map(() => Array.from({ length: k }, (): number => 0));
  sortedClasses.forEach((c, pos) => allocation[c][pos % k]++);
  const rng = options.shuffle ? rngFor(who, options.seed) : null;
  const testFold = new Int32Array(n);
  const cursor = counts.map(() => [] as number[]);
  allocation.forEach((perFold, c) => {
    perFold.forEach((m, f) => {
      for (let j = 0; j < m; j++) cursor[c].push(f);
    });
    if (rng) shuffleInPlace(cursor[c], rng);
  });
  const next = Array.from({ length: counts.length }, (): number => 0);
  classOf.forEach((c, i) => {
    testFold[i] = cursor[c][next[c]++];
  });
  return foldsFrom(testFold, k);
}
