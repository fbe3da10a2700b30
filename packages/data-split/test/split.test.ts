import { describe, expect, it } from 'vitest';
import { dispose, memory, oneHot, sum, tensor1d, tensor2d, tensor3d, type Tensor } from '@neurona/tensor';
import { kFold, stratifiedKFold, take, trainTestSplit, trainValTestSplit } from '../src/index';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** Samples per class in a one-hot tensor. */
const oneHotCounts = (t: Tensor) => (sum(t, 0).arraySync() as number[]).map(Math.round);
/** Samples of classes 0, 1, 2 in integer labels. */
const classCounts = (a: number[]) => [0, 1, 2].map((c) => a.filter((v) => v === c).length);

describe('trainTestSplit sizes, as scikit-learn 1.2 (shuffle=False)', () => {
  // [n, testSize, trainSize, train count, test count] from sklearn.model_selection.train_test_split
  it.each([
    [10, 0.25, undefined, 7, 3],
    [10, undefined, 0.5, 5, 5],
    [10, 3, undefined, 7, 3],
    [10, undefined, 6, 6, 4],
    [10, 0.3, 0.5, 5, 3],
    [7, 0.2, undefined, 5, 2],
    [100, 0.33, undefined, 67, 33],
    [5, 0.5, 0.5, 2, 3],
    [10, undefined, undefined, 7, 3],
  ])('n=%i testSize=%s trainSize=%s → %i train, %i test', (n, testSize, trainSize, nTrain, nTest) => {
    const x = range(n);
    const s = trainTestSplit(x, x, { testSize, trainSize, shuffle: false });
    // without shuffling: train is the first samples, test the ones after it
    expect(s.xTrain).toEqual(range(nTrain));
    expect(s.xTest).toEqual(range(nTest).map((i) => i + nTrain));
    expect(s.yTest).toEqual(s.xTest);
  });

  it('ignores floating-point noise: 0.07 of 100 is 7 (scikit-learn gives 8)', () => {
    expect(trainTestSplit(range(100), range(100), { testSize: 0.07, seed: 1 }).xTest).toHaveLength(7);
  });
});

describe('input kinds', () => {
  it('tensors split on the first axis into new tensors; the inputs stay', () => {
    const x = tensor3d(range(24), [6, 2, 2]);
    const y = oneHot(tensor1d([0, 1, 0, 1, 0, 1], 'int32'), 2);
    const before = memory().numTensors;
    const s = trainTestSplit(x, y, { testSize: 2, seed: 3 });
    expect(memory().numTensors).toBe(before + 4);
    expect(s.xTrain.shape).toEqual([4, 2, 2]);
    expect(s.xTest.shape).toEqual([2, 2, 2]);
    expect(s.yTest.shape).toEqual([2, 2]);
    // rows stay paired: sample i of x is [4i..4i+3], its label i % 2
    const xs = s.xTest.arraySync() as number[][][];
    const ys = s.yTest.arraySync() as number[][];
    xs.forEach((sample, j) => {
      const i = sample[0][0] / 4;
      expect(sample.flat()).toEqual([4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3]);
      expect(ys[j]).toEqual(i % 2 === 0 ? [1, 0] : [0, 1]);
    });
    expect(x.isDisposed).toBe(false);
    dispose([x, y, s.xTrain, s.xTest, s.yTrain, s.yTest]);
  });

  it('typed arrays give the same typed array type, arrays give arrays', () => {
    const x = new Float64Array(range(10).map((i) => i / 10));
    const y = range(10).map((i) => `s${i}`);
    const s = trainTestSplit(x, y, { seed: 5 });
    expect(s.xTrain).toBeInstanceOf(Float64Array);
    expect(Array.isArray(s.yTrain)).toBe(true);
    s.xTrain.forEach((v, j) => expect(s.yTrain[j]).toBe(`s${Math.round(v * 10)}`));
    const u = trainTestSplit(new Uint8Array(range(8)), new Int32Array(range(8)), { seed: 5 });
    expect(u.xTest).toBeInstanceOf(Uint8Array);
    expect(u.yTest).toBeInstanceOf(Int32Array);
    expect(Array.from(u.xTest)).toEqual(Array.from(u.yTest));
  });

  it('arrays of rows stay rows; x and y may be of different kinds', () => {
    const x = range(8).map((i) => [i, i * 2]);
    const y = tensor1d(range(8));
    const s = trainTestSplit(x, y, { testSize: 0.5, seed: 9 });
    expect(s.xTest).toHaveLength(4);
    expect(s.xTest.map((r) => r[0])).toEqual(Array.from(s.yTest.dataSync()));
    dispose([y, s.yTrain, s.yTest]);
  });

  it('take picks samples of any kind', () => {
    const t = tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const got = take(t, [2, 0]);
    expect(got.arraySync()).toEqual([
      [5, 6],
      [1, 2],
    ]);
    expect(take(['a', 'b', 'c'], [1])).toEqual(['b']);
    expect(take(new Int16Array([7, 8, 9]), new Int32Array([0, 0]))).toEqual(new Int16Array([7, 7]));
    dispose([t, got]);
  });
});

describe('stratification', () => {
  it('one-hot y tensor: each class keeps its share in train and test', () => {
    const labels = [...Array(30).fill(0), ...Array(20).fill(1), ...Array(10).fill(2)];
    const y = oneHot(tensor1d(labels, 'int32'), 3);
    const s = trainTestSplit(range(60), y, { testSize: 0.2, stratify: true, seed: 7 });
    expect(oneHotCounts(s.yTest)).toEqual([6, 4, 2]);
    expect(oneHotCounts(s.yTrain)).toEqual([24, 16, 8]);
    dispose([y, s.yTrain, s.yTest]);
  });

  it('labels passed explicitly (strings)', () => {
    const animals = ['cat', 'dog', 'cat', 'dog', 'cat', 'cat', 'dog', 'cat'];
    const s = trainTestSplit(range(8), range(8), { testSize: 0.5, stratify: animals, seed: 1 });
    const cats = s.xTest.filter((i) => animals[i] === 'cat').length;
    expect([2, 3]).toContain(cats);
    expect(s.xTest).toHaveLength(4);
  });

  it('works without shuffling: deterministic, ascending', () => {
    const y = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    const a = trainTestSplit(range(10), y, { testSize: 0.5, stratify: true, shuffle: false });
    const b = trainTestSplit(range(10), y, { testSize: 0.5, stratify: true, shuffle: false });
    expect(a).toEqual(b);
    expect(a.xTrain).toEqual([...a.xTrain].sort((p, q) => p - q));
    expect(a.yTest.filter((c) => c === 0)).toHaveLength(2);
  });

  it('trainValTestSplit stratified keeps the shares in all three sets', () => {
    const y = range(100).map((i) => (i < 50 ? 0 : i < 80 ? 1 : 2));
    const s = trainValTestSplit(range(100), y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
    expect(classCounts(s.yTrain)).toEqual([35, 21, 14]);
    expect(classCounts(s.yVal)).toEqual([5, 3, 2]);
    expect(classCounts(s.yTest)).toEqual([10, 6, 4]);
  });
});

describe('trainValTestSplit', () => {
  it('sizes are fractions of all samples (defaults 0.1 and 0.2) or counts', () => {
    const s = trainValTestSplit(range(50), range(50), { seed: 1 });
    expect([s.xTrain.length, s.xVal.length, s.xTest.length]).toEqual([35, 5, 10]);
    const c = trainValTestSplit(range(50), range(50), { valSize: 7, testSize: 0.3, trainSize: 20, seed: 1 });
    expect([c.xTrain.length, c.xVal.length, c.xTest.length]).toEqual([20, 7, 15]);
  });

  it('without shuffling: train, then validation, then test', () => {
    const s = trainValTestSplit(range(10), range(10), { valSize: 2, testSize: 3, shuffle: false });
    expect(s.xTrain).toEqual([0, 1, 2, 3, 4]);
    expect(s.xVal).toEqual([5, 6]);
    expect(s.xTest).toEqual([7, 8, 9]);
  });
});

describe('errors say what was expected and what was found', () => {
  it.each([
    [() => trainTestSplit(range(10), range(9)), 'trainTestSplit: x and y must have the same number of samples, got x 10 and y 9'],
    [() => trainTestSplit([], []), 'trainTestSplit: x and y are empty (0 samples)'],
    [() => trainTestSplit(range(10), range(10), { testSize: 1.5 }), 'testSize must be a fraction in (0, 1) or a whole count in [1, 9], got 1.5'],
    [() => trainTestSplit(range(10), range(10), { testSize: 10 }), 'testSize must be a fraction in (0, 1) or a whole count in [1, 9], got 10'],
    [() => trainTestSplit(range(10), range(10), { testSize: -0.1 }), 'got -0.1'],
    [() => trainTestSplit(range(10), range(10), { testSize: NaN }), 'got NaN'],
    [() => trainTestSplit(range(10), range(10), { testSize: 0.6, trainSize: 0.6 }), 'trainSize + testSize must add up to at most 1, got 1.2'],
    [() => trainTestSplit(range(10), range(10), { testSize: 6, trainSize: 6 }), 'the sizes need 12 samples (trainSize 6 → 6, testSize 6 → 6) but there are only 10'],
    [() => trainTestSplit(range(3), range(3), { trainSize: 0.2 }), 'the train set would be empty'],
    [() => trainValTestSplit(range(10), range(10), { valSize: 0.5, testSize: 0.6 }), 'valSize + testSize must add up to at most 1'],
    [() => trainValTestSplit(range(10), range(10), { valSize: 5, testSize: 5 }), 'the train set would be empty'],
    [() => trainTestSplit(range(10), range(10), { testsize: 0.2 } as never), 'trainTestSplit: unknown option "testsize". Known options: testSize'],
    [() => trainTestSplit(range(4), [0, 0, 0, 1], { testSize: 2, stratify: true }), 'trainTestSplit: class 1 has only 1 sample; stratifying into train, test needs at least 2 per class'],
    [() => trainValTestSplit(range(9), ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c'], { valSize: 3, testSize: 3, stratify: true }), 'class "b" has only 2 samples; stratifying into train, validation, test needs at least 3 per class'],
    [() => trainTestSplit(range(12), range(12).map((i) => i % 4), { testSize: 3, stratify: true }), 'the test set (3 samples) must be able to hold one sample of each of the 4 classes'],
    [() => trainTestSplit(range(4), range(4), { stratify: [0, 1] }), 'stratify labels must have one entry per sample (4), got 2'],
    [() => trainTestSplit(range(4), range(4), { seed: Infinity }), 'trainTestSplit: seed must be a finite number, got Infinity'],
    [() => trainTestSplit(5 as never, range(4)), 'trainTestSplit: x must be a tensor, a typed array or an array, got number'],
    [() => kFold(10, { k: 1 }), 'kFold: k must be an integer >= 2, got 1'],
    [() => kFold(3, { k: 4 }), 'kFold: k (4) cannot be greater than the number of samples (3)'],
    [() => stratifiedKFold([0, 0, 1, 1], { k: 3 }), 'stratifiedKFold: k (3) cannot be greater than the number of samples in every class (largest: 2)'],
  ])('%#', (fn, message) => {
    expect(fn).toThrow(message);
  });
});

describe('kFold and stratifiedKFold, as scikit-learn 1.2 (shuffle=False)', () => {
  it('KFold(4) on 10 samples', () => {
    expect(kFold(10, { k: 4 })).toEqual([
      { trainIndex: [3, 4, 5, 6, 7, 8, 9], testIndex: [0, 1, 2] },
      { trainIndex: [0, 1, 2, 6, 7, 8, 9], testIndex: [3, 4, 5] },
      { trainIndex: [0, 1, 2, 3, 4, 5, 8, 9], testIndex: [6, 7] },
      { trainIndex: [0, 1, 2, 3, 4, 5, 6, 7], testIndex: [8, 9] },
    ]);
  });

  it('StratifiedKFold(3)', () => {
    const y = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 0, 1, 2, 1, 0, 0, 2];
    expect(stratifiedKFold(y, { k: 3 }).map((f) => f.testIndex)).toEqual([
      [0, 1, 2, 3, 5, 6],
      [4, 7, 8, 9, 10, 14],
      [11, 12, 13, 15, 16],
    ]);
  });

  it('kFold takes the data itself, and one-hot labels stratify', () => {
    const x = tensor2d(range(12), [6, 2]);
    expect(kFold(x, { k: 3 })).toHaveLength(3);
    const y = oneHot(tensor1d([0, 1, 0, 1, 0, 1], 'int32'), 2);
    for (const { testIndex } of stratifiedKFold(y, { k: 3, shuffle: true, seed: 2 })) {
      expect(testIndex.map((i) => i % 2).sort()).toEqual([0, 1]);
    }
    dispose([x, y]);
  });
});
