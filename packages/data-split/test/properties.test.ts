import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { kFold, stratifiedKFold, trainTestSplit, trainValTestSplit } from '../src/index';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (a: number[]) => [...a].sort((p, q) => p - q);

/** Labels with every class of at least `min` samples, in random order. */
const labelsArb = (min: number) =>
  fc
    .array(fc.integer({ min, max: 25 }), { minLength: 1, maxLength: 5 })
    .chain((counts) => {
      const labels = counts.flatMap((c, k) => Array<number>(c).fill(k));
      return fc.shuffledSubarray(labels, { minLength: labels.length, maxLength: labels.length });
    });

const countOf = (labels: number[], idx: number[], c: number) => idx.filter((i) => labels[i] === c).length;
const classes = (labels: number[]) => [...new Set(labels)];

/** Each class within one sample of its exact share in each part. */
function expectRatiosKept(labels: number[], parts: number[][]) {
  const n = labels.length;
  for (const c of classes(labels)) {
    const total = countOf(labels, range(n), c);
    for (const part of parts) {
      const exact = (total * part.length) / n;
      expect(Math.abs(countOf(labels, part, c) - exact)).toBeLessThan(1 + 1e-9);
    }
  }
}

describe('trainTestSplit properties', () => {
  it('is a partition: disjoint and complete', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.integer(), (n, t, seed) => {
        const nTest = Math.ceil(t * n - 1e-9);
        fc.pre(nTest >= 1 && nTest <= n - 1);
        const { xTrain, xTest } = trainTestSplit(range(n), range(n), { testSize: t, seed });
        expect(xTest).toHaveLength(nTest);
        expect(sorted([...xTrain, ...xTest])).toEqual(range(n));
      }),
    );
  });

  it('stratified: a partition, each class within one sample of its share in train and test', () => {
    fc.assert(
      fc.property(labelsArb(2), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.integer(), (labels, t, seed) => {
        const n = labels.length;
        const nTest = Math.ceil(t * n - 1e-9);
        const k = classes(labels).length;
        fc.pre(nTest >= k && n - nTest >= k);
        const { xTrain, xTest, yTrain } = trainTestSplit(range(n), labels, { testSize: t, stratify: true, seed });
        expect(sorted([...xTrain, ...xTest])).toEqual(range(n));
        expect(yTrain).toEqual(xTrain.map((i) => labels[i]));
        expectRatiosKept(labels, [xTrain, xTest]);
      }),
    );
  });

  it('same seed, same split; different seeds, different splits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 100 }), fc.integer(), fc.integer(), fc.boolean(), (n, s1, s2, stratify) => {
        fc.pre(s1 !== s2);
        const y = range(n).map((i) => i % 3);
        const a = trainTestSplit(range(n), y, { seed: s1, stratify });
        const b = trainTestSplit(range(n), y, { seed: s1, stratify });
        const c = trainTestSplit(range(n), y, { seed: s2, stratify });
        expect(b).toEqual(a);
        expect(c.xTrain).not.toEqual(a.xTrain);
      }),
    );
  });
});

describe('trainValTestSplit properties', () => {
  it('three disjoint parts covering every sample; stratified shares within one sample', () => {
    fc.assert(
      fc.property(
        labelsArb(3),
        fc.double({ min: 0.05, max: 0.4, noNaN: true }),
        fc.double({ min: 0.05, max: 0.4, noNaN: true }),
        fc.integer(),
        fc.boolean(),
        (labels, v, t, seed, stratify) => {
          const n = labels.length;
          const k = classes(labels).length;
          const nVal = Math.ceil(v * n - 1e-9);
          const nTest = Math.ceil(t * n - 1e-9);
          fc.pre(nVal >= k && nTest >= k && n - nVal - nTest >= k);
          const s = trainValTestSplit(range(n), labels, { valSize: v, testSize: t, stratify, seed });
          expect([s.xVal.length, s.xTest.length]).toEqual([nVal, nTest]);
          expect(sorted([...s.xTrain, ...s.xVal, ...s.xTest])).toEqual(range(n));
          if (stratify) expectRatiosKept(labels, [s.xTrain, s.xVal, s.xTest]);
        },
      ),
    );
  });

  it('with trainSize too, the parts stay disjoint and the rest is left out', () => {
    fc.assert(
      fc.property(labelsArb(4), fc.integer(), (labels, seed) => {
        const n = labels.length;
        const k = classes(labels).length;
        fc.pre(Math.floor(0.3 * n) >= k && Math.ceil(0.2 * n) >= k);
        const s = trainValTestSplit(range(n), labels, { trainSize: 0.3, valSize: 0.2, testSize: 0.2, stratify: true, seed });
        const all = [...s.xTrain, ...s.xVal, ...s.xTest];
        expect(new Set(all).size).toBe(all.length);
        expect(s.xTrain).toHaveLength(Math.floor(0.3 * n + 1e-9));
        expectRatiosKept(labels, [s.xTrain, s.xVal, s.xTest]);
      }),
    );
  });
});

describe('kFold properties', () => {
  it('every sample is in exactly one test fold; train is the complement; sizes differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 150 }), fc.integer({ min: 2, max: 12 }), fc.boolean(), fc.integer(), (n, k, shuffle, seed) => {
        fc.pre(k <= n);
        const folds = kFold(n, { k, shuffle, seed });
        expect(folds).toHaveLength(k);
        expect(sorted(folds.flatMap((f) => f.testIndex))).toEqual(range(n));
        for (const f of folds) expect(sorted([...f.trainIndex, ...f.testIndex])).toEqual(range(n));
        const sizes = folds.map((f) => f.testIndex.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('stratified: each class within one sample of count/k in every fold', () => {
    fc.assert(
      fc.property(labelsArb(1), fc.integer({ min: 2, max: 6 }), fc.boolean(), fc.integer(), (labels, k, shuffle, seed) => {
        const n = labels.length;
        const counts = classes(labels).map((c) => countOf(labels, range(n), c));
        fc.pre(k <= n && counts.some((c) => c >= k));
        const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
        const folds = stratifiedKFold(labels, { k, shuffle, seed });
        warn.mockRestore();
        expect(sorted(folds.flatMap((f) => f.testIndex))).toEqual(range(n));
        for (const c of classes(labels)) {
          const total = countOf(labels, range(n), c);
          for (const f of folds) expect(Math.abs(countOf(labels, f.testIndex, c) - total / k)).toBeLessThan(1);
        }
      }),
    );
  });

  it('same seed same folds, different seeds different folds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 100 }), fc.integer(), fc.integer(), (n, s1, s2) => {
        fc.pre(s1 !== s2);
        const y = range(n).map((i) => i % 2);
        expect(kFold(n, { shuffle: true, seed: s1 })).toEqual(kFold(n, { shuffle: true, seed: s1 }));
        expect(kFold(n, { shuffle: true, seed: s2 })).not.toEqual(kFold(n, { shuffle: true, seed: s1 }));
        expect(stratifiedKFold(y, { shuffle: true, seed: s2 })).not.toEqual(stratifiedKFold(y, { shuffle: true, seed: s1 }));
      }),
    );
  });

  it('warns when a class has fewer samples than folds', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    stratifiedKFold([0, 0, 0, 0, 0, 1, 1], { k: 3 });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('class 1 has only 2 samples, fewer than k=3'));
    warn.mockRestore();
  });
});
