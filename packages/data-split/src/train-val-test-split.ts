import { checkKeys } from './check-keys';
import { take } from './data';
import { prepare } from './prepare';
import { resolveSizes } from './sizes';
import { splitIndices } from './split-indices';
import type { Split, SplitData, TrainValTestSplit, TrainValTestSplitOptions } from './types';

const KNOWN = ['valSize', 'testSize', 'trainSize', 'shuffle', 'stratify', 'seed'];

/**
 * Split x and y into train, validation and test sets in one go; every size is relative to all
 * samples (`valSize: 0.1, testSize: 0.2` leaves 70% for training). Fractions of the held-out sets
 * round up, of train down; defaults valSize 0.1 and testSize 0.2, train the rest. Shuffled
 * (seeded) by default; `stratify` keeps class proportions in all three (each within one sample).
 *
 * `const { xTrain, xVal, xTest, yTrain, yVal, yTest } = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 })`
 */
export function trainValTestSplit<X extends SplitData, Y extends SplitData>(
  x: X,
  y: Y,
  options: TrainValTestSplitOptions = {},
): TrainValTestSplit<Split<X>, Split<Y>> {
  const who = 'trainValTestSplit';
  checkKeys(who, options, KNOWN);
  const { n, rng, labels } = prepare(who, x, y, options);
  const [nTrain, nVal, nTest] = resolveSizes(who, n, [
    { name: 'trainSize', value: options.trainSize, round: 'down' },
    { name: 'valSize', value: options.valSize ?? 0.1, round: 'up' },
    { name: 'testSize', value: options.testSize ?? 0.2, round: 'up' },
  ]);
  const [train, val, test] = splitIndices(
    who,
    n,
    [
      { name: 'train', size: nTrain },
      { name: 'validation', size: nVal },
      { name: 'test', size: nTest },
    ],
    rng,
    labels,
  );
  return {
    xTrain: take(x, train),
    xVal: take(x, val),
    xTest: take(x, test),
    yTrain: take(y, train),
    yVal: take(y, val),
    yTest: take(y, test),
  };
}
