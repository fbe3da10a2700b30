// The README's example, kept working.
import { expect, it } from 'vitest';
import { dispose, oneHot, tensor1d, tensor2d } from '@neurona/tensor';
import { kFold, stratifiedKFold, take, trainTestSplit, trainValTestSplit } from '../src/index';

it('README example', () => {
  const x = tensor2d(Array.from({ length: 400 }, (_, i) => i % 7), [100, 4]);
  const labels = Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : i < 80 ? 1 : 2));
  const y = oneHot(tensor1d(labels, 'int32'), 3);
  const s = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
  expect([s.xTrain.shape, s.xVal.shape, s.xTest.shape]).toEqual([
    [70, 4],
    [10, 4],
    [20, 4],
  ]);
  const split = trainTestSplit(['a', 'b', 'c', 'd'], [0, 1, 0, 1], { testSize: 0.5, seed: 1 });
  expect(split.xTrain).toHaveLength(2);
  for (const { trainIndex } of stratifiedKFold(labels, { k: 5, shuffle: true, seed: 0 })) {
    const xFoldTrain = take(x, trainIndex);
    expect(xFoldTrain.shape).toEqual([80, 4]);
    xFoldTrain.dispose();
  }
  expect(kFold(10, { k: 3 }).map((f) => f.testIndex)).toEqual([
    [0, 1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ]);
  dispose([x, y, s.xTrain, s.xVal, s.xTest, s.yTrain, s.yVal, s.yTest]);
});
