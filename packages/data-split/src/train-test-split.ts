import { take } from './data';
import { checkKeys } from './check-keys';
import { prepare } from './prepare';
import { resolveSizes } from './sizes';
import { splitIndices } from './split-indices';
import type { Split, SplitData, TrainTestSplit, TrainTestSplitOptions } from './types';

const KNOWN = ['testSize', 'trainSize', 'shuffle', 'stratify', 'seed'];

/**
 * Split x and y into train and test sets on their first axis, as scikit-learn's
 * `train_test_split`: sizes as fractions (test rounded up, train down) or counts, test 0.25 by
 * default; shuffled (seeded) by default; `stratify: true` keeps y's class proportions in both sets
 * (or pass the labels). Outputs are of the inputs' kind (new tensors the caller disposes).
 *
 * `const { xTrain, xTest, yTrain, yTest } = trainTestSplit(x, y, { testSize: 0.2, stratify: true, seed: 42 })`
 */
export function trainTestSplit<X extends SplitData, Y extends SplitData>(
  x: X,
  y: Y,
  options: TrainTestSplitOptions = {},
): TrainTestSplit<Split<X>, Split<Y>> {
  const who = 'trainTestSplit';
  checkKeys(who, options, KNOWN);
  const { n, rng, labels } = prepare(who, x, y, options);
  let { testSize, trainSize } = options;
  if (testSize === undefined && trainSize === undefined) testSize = 0.25;
  const [nTrain, nTest] = resolveSizes(who, n, [
    { name: 'trainSize', value: trainSize, round: 'down' },
    { name: 'testSize', value: testSize, round: 'up' },
  ]);
  const [train, test] = splitIndices(who, n, [{ name: 'train', size: nTrain }, { name: 'test', size: nTest }], rng, labels);
  return { xTrain: take(x, train), xTest: take(x, test), yTrain: take(y, train), yTest: take(y, test) };
}
