import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as T from '@neurona/tensor';
import * as M from '../src/index';
import cases from './sklearn-cases.json';
import { formatFixed, npSum } from '../src/python-format';

// sklearn-cases.json is written by reference.py from scikit-learn 1.2 (/usr/bin/python3)

type PyOptions = {
  target_names?: string[];
  digits?: number;
  labels?: (number | string)[];
  zero_division?: 0 | 1 | 'warn';
};
const toOptions = (o: PyOptions): M.ClassificationReportOptions => ({
  targetNames: o.target_names,
  digits: o.digits,
  labels: o.labels,
  zeroDivision: o.zero_division,
});

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());
const warnings = () => warn.mock.calls.map((c: unknown[]) => String(c[0]));

describe('classificationReport', () => {
  it('prints exactly what scikit-learn 1.2 prints for the issue example (tensors from argMax)', () => {
    const expected = [
      '              precision    recall  f1-score   support',
      '',
      '           0       0.75      1.00      0.86         3',
      '           1       0.67      0.50      0.57         4',
      '           2       0.67      0.67      0.67         3',
      '',
      '    accuracy                           0.70        10',
      '   macro avg       0.69      0.72      0.70        10',
      'weighted avg       0.69      0.70      0.69        10',
      '',
    ].join('\n');
    const yTrue = [0, 1, 2, 2, 1, 0, 2, 1, 1, 0];
    const yPred = [0, 2, 2, 2, 1, 0, 1, 1, 0, 0];
    expect(M.classificationReport(yTrue, yPred)).toBe(expected);
    // the seed's call: classification_report(y_te.argmax(axis=1), predictions.argmax(axis=1))
    const oneHot = T.oneHot(T.tensor1d(yTrue, 'int32'), 3);
    const probs = T.add(T.mul(T.cast(T.oneHot(T.tensor1d(yPred, 'int32'), 3), 'float32'), 0.8), 0.05);
    expect(M.classificationReport(T.argMax(oneHot, 1), T.argMax(probs, 1))).toBe(expected);
    expect(M.classificationReport(new Int32Array(yTrue), Float32Array.from(yPred))).toBe(expected);
    expect(warnings()).toEqual([]);
  });

  for (const c of cases.reports) {
    it(`matches scikit-learn: ${c.name} (text, dict and warnings)`, () => {
      const options = toOptions(c.options as PyOptions);
      expect(M.classificationReport(c.yTrue, c.yPred, options)).toBe(c.text);
      expect(warnings()).toEqual(c.warnings);
      const dict = M.classificationReport(c.yTrue, c.yPred, { ...options, outputDict: true });
      expect(Object.keys(dict)).toEqual(Object.keys(c.dict));
      expect(dict).toEqual(c.dict);
    });
  }

  it('errors say what was expected and what was found', () => {
    expect(() => M.classificationReport([0, 1, 2], [0, 1])).toThrow(
      'classificationReport: found input variables with inconsistent numbers of samples: [3, 2] (yTrue, yPred)',
    );
    expect(() => M.classificationReport([0, 1, 2], [0, 1, 2], { targetNames: ['a', 'b'] })).toThrow(
      /number of classes, 3, does not match size of targetNames, 2/,
    );
    expect(() => M.classificationReport(T.tensor2d([[0, 1], [1, 0]]), [0, 1])).toThrow(
      /yTrue must hold one class label per sample \(shape \[n\]\), got a tensor of shape \[2, 2\]; for one-hot rows or probabilities pass yTrue.argMax\(-1\)/,
    );
    expect(() => M.classificationReport([0, 1], [0.2, 0.9])).toThrow(/continuous value 0.2 at index 0/);
    expect(() => M.classificationReport([0, 1], ['a', 'b'])).toThrow(/mix of label input types/);
    expect(() => M.classificationReport([], [])).toThrow(/empty/);
    expect(() => M.classificationReport([0], [0], { digits: -1 })).toThrow('classificationReport: digits must be an integer >= 0, got -1');
  });

  it('labels with target names of another length warn as scikit-learn', () => {
    M.classificationReport([0, 1, 2], [0, 1, 2], { labels: [0, 1, 2], targetNames: ['a', 'b'] });
    expect(warnings()).toEqual(['UserWarning: labels size, 3, does not match size of target_names, 2']);
  });
});

describe('precision, recall, F-scores against scikit-learn', () => {
  for (const c of cases.scores) {
    it(`${c.name}, average ${String(c.average)}`, () => {
      const average = c.average as M.Average;
      const r = M.precisionRecallFscoreSupport(c.yTrue, c.yPred, { average } as M.ScoreOptions & { average: null });
      expect(r.precision).toEqual(c.precision);
      expect(r.recall).toEqual(c.recall);
      expect(r.fbetaScore).toEqual(c.f1);
      expect(r.support).toEqual(c.support);
      warn.mockClear();
      expect(M.precisionScore(c.yTrue, c.yPred, { average } as M.AveragedOptions)).toEqual(c.precisionScore);
      expect(warnings()).toEqual(c.warnings.precision);
      warn.mockClear();
      expect(M.recallScore(c.yTrue, c.yPred, { average } as M.AveragedOptions)).toEqual(c.recallScore);
      expect(warnings()).toEqual(c.warnings.recall);
      warn.mockClear();
      expect(M.f1Score(c.yTrue, c.yPred, { average } as M.AveragedOptions)).toEqual(c.f1Score);
      expect(warnings()).toEqual(c.warnings.f1);
      const close = (a: number | number[], b: number | number[]) =>
        ([] as number[]).concat(a).forEach((v, i) => expect(v).toBeCloseTo(([] as number[]).concat(b)[i], 12));
      close(M.fbetaScore(c.yTrue, c.yPred, 0.5, { average } as M.AveragedOptions), c.fbeta05);
      close(M.fbetaScore(c.yTrue, c.yPred, 2, { average } as M.AveragedOptions), c.fbeta2);
    });
  }

  it('binary average with posLabel, and accuracy', () => {
    const b = cases.binary;
    expect(M.precisionScore(b.yTrue, b.yPred)).toBe(b.precision);
    expect(M.recallScore(b.yTrue, b.yPred)).toBe(b.recall);
    expect(M.f1Score(b.yTrue, b.yPred)).toBe(b.f1);
    expect(M.precisionScore(b.yTrue, b.yPred, { posLabel: 0 })).toBe(b.precisionPos0);
    expect(M.accuracyScore(b.yTrue, b.yPred)).toBe(b.accuracy);
    expect(M.accuracyScore(b.yTrue, b.yPred, { normalize: false })).toBe(5);
    expect(() => M.precisionScore([0, 1, 2], [0, 1, 2])).toThrow(/multiclass but average='binary'/);
  });

  it('per-class arrays with average null', () => {
    const p = M.f1Score([0, 1, 2, 2], [0, 2, 2, 1], { average: null });
    expect(p.map((x) => Number(x.toFixed(4)))).toEqual([1, 0, 0.5]);
  });
});

describe('confusionMatrix against scikit-learn', () => {
  const t = [0, 1, 2, 2, 1, 0, 2, 1, 1, 0];
  const p = [0, 2, 2, 2, 1, 0, 1, 1, 0, 0];
  it('counts, labels order, normalization', () => {
    expect(M.confusionMatrix(t, p)).toEqual(cases.confusion.base);
    expect(M.confusionMatrix(T.tensor1d(t, 'int32'), T.tensor1d(p, 'int32'), { numClasses: 3 })).toEqual(cases.confusion.base);
    expect(M.confusionMatrix(t, p, { labels: [2, 0] })).toEqual(cases.confusion.labels);
    expect(M.confusionMatrix(t, p, { normalize: 'true' })).toEqual(cases.confusion.normTrue);
    expect(M.confusionMatrix(t, p, { normalize: 'pred' })).toEqual(cases.confusion.normPred);
    expect(M.confusionMatrix(t, p, { normalize: 'all' })).toEqual(cases.confusion.normAll);
    const ten = cases.reports.find((r) => r.name === '10 classes');
    expect(M.confusionMatrix(ten!.yTrue, ten!.yPred)).toEqual(cases.confusion.ten);
  });
  it('numClasses keeps absent classes and rejects labels outside it', () => {
    expect(M.confusionMatrix([0, 1], [1, 1], { numClasses: 3 })).toEqual([[0, 1, 0], [0, 1, 0], [0, 0, 0]]);
    expect(() => M.confusionMatrix([0, 3], [0, 1], { numClasses: 3 })).toThrow(
      'confusionMatrix: yTrue must hold integers in [0, 3) for numClasses 3, found 3',
    );
  });
});

describe('Python number formatting', () => {
  it("formatFixed rounds half to even on the exact binary value, as Python's format", () => {
    // values from Python: '{:.2f}'.format(x) etc.
    const table: [number, number, string][] = [
      [0.125, 2, '0.12'], [0.375, 2, '0.38'], [0.625, 2, '0.62'], [0.875, 2, '0.88'],
      [2.5, 0, '2'], [3.5, 0, '4'], [0.5, 0, '0'], [0.25, 1, '0.2'], [0.75, 1, '0.8'],
      [0.145, 2, '0.14'], [0.155, 2, '0.15'], [1.005, 2, '1.00'], [0.285, 2, '0.28'], [2.675, 2, '2.67'],
      [0.9999, 2, '1.00'], [9.995, 2, '9.99'], [99.995, 2, '100.00'], [0, 2, '0.00'], [1, 4, '1.0000'],
      [-0.125, 2, '-0.12'], [123.456, 1, '123.5'], [1e-7, 3, '0.000'], [0.5000000000000001, 0, '1'],
    ];
    for (const [x, d, s] of table) expect([x, d, formatFixed(x, d)]).toEqual([x, d, s]);
  });

  it('formatFixed equals Python on 150 random values, a third of them exact binary fractions (ties)', () => {
    // from Python 3: random.seed(7); values x·10^k, k/2^n and round(x, n); '{:.{d}f}'.format(x, d=d)
    const table: [number, number, string][] = [
      [0.0032383276483316237, 3, "0.003"],
      [98.75, 6, "98.750000"],
      [0.536, 4, "0.5360"],
      [0.5799892477470681, 1, "0.6"],
      [76.75, 3, "76.750"],
      [0.42, 0, "0"],
      [0.0005510472537913857, 6, "0.000551"],
      [63.375, 5, "63.37500"],
      [0.6, 4, "0.6000"],
      [0.0005855414226403867, 1, "0.0"],
      [0.744140625, 6, "0.744141"],
      [0.1332, 1, "0.1"],
      [5.406858855321425, 2, "5.41"],
      [370.0, 4, "370.0000"],
      [0.57, 2, "0.57"],
      [9.743057599473337, 0, "10"],
      [0.4765625, 1, "0.5"],
      [0.49641, 3, "0.496"],
      [0.777228774980807, 4, "0.7772"],
      [58.0, 2, "58.00"],
      [0.25, 5, "0.25000"],
      [0.0007798296305842437, 4, "0.0008"],
      [4.802734375, 3, "4.803"],
      [0.8751, 2, "0.88"],
      [0.0006089590190364036, 0, "0"],
      [428.125, 6, "428.125000"],
      [0.3421, 3, "0.342"],
      [3.920725704743766, 0, "4"],
      [40.15625, 5, "40.15625"],
      [0.3502, 4, "0.3502"],
      [0.0007968919758215943, 6, "0.000797"],
      [23.9375, 3, "23.938"],
      [0.7, 0, "1"],
      [0.07311593346408905, 5, "0.07312"],
      [114.0625, 5, "114.06250"],
      [0.386, 0, "0"],
      [0.09406485666460938, 1, "0.1"],
      [3.74609375, 0, "4"],
      [0.218, 1, "0.2"],
      [0.7383633795947941, 3, "0.738"],
      [1016.75, 1, "1016.8"],
      [0.44919, 2, "0.45"],
      [883.3838264415125, 3, "883.384"],
      [0.556640625, 3, "0.557"],
      [0.9865, 1, "1.0"],
      [0.0015092090579110896, 1, "0.0"],
      [0.927734375, 1, "0.9"],
      [0.01206, 1, "0.0"],
      [0.0002627466192985379, 1, "0.0"],
      [6.703125, 2, "6.70"],
      [0.61, 1, "0.6"],
      [6.904936571359778, 4, "6.9049"],
      [1.7265625, 6, "1.726562"],
      [0.77997, 3, "0.780"],
      [0.3980696305556508, 0, "0"],
      [1.92578125, 3, "1.926"],
      [0.1, 1, "0.1"],
      [0.00044062686832475054, 2, "0.00"],
      [107.5, 0, "108"],
      [0.56678, 0, "1"],
      [9.489487585694336, 0, "9"],
      [36.0, 4, "36.0000"],
      [0.376, 2, "0.38"],
      [0.6022791889620083, 0, "1"],
      [3.6875, 3, "3.688"],
      [0.48, 0, "0"],
      [14.411749021848742, 2, "14.41"],
      [8.46875, 6, "8.468750"],
      [0.69206, 0, "1"],
      [2.0521500670154067, 2, "2.05"],
      [0.29296875, 4, "0.2930"],
      [0.91415, 2, "0.91"],
      [978.5012427189728, 0, "979"],
      [4.177734375, 2, "4.18"],
      [0.908, 6, "0.908000"],
      [2.2279275605523874, 6, "2.227928"],
      [1.318359375, 1, "1.3"],
      [0.61, 6, "0.610000"],
      [0.2393876747662793, 5, "0.23939"],
      [116.0625, 4, "116.0625"],
      [0.5, 0, "0"],
      [0.7901141366319249, 2, "0.79"],
      [0.38720703125, 4, "0.3872"],
      [0.9565, 6, "0.956500"],
      [0.09370212012762424, 2, "0.09"],
      [41.1875, 0, "41"],
      [0.23, 2, "0.23"],
      [2.04373363276223, 4, "2.0437"],
      [0.05859375, 5, "0.05859"],
      [0.3, 6, "0.300000"],
      [0.6605856502048941, 6, "0.660586"],
      [6.375, 1, "6.4"],
      [0.434, 0, "0"],
      [80.0823568896691, 3, "80.082"],
      [29.640625, 5, "29.64062"],
      [0.95, 1, "0.9"],
      [0.0009931123564171668, 1, "0.0"],
      [1.861328125, 1, "1.9"],
      [0.61157, 3, "0.612"],
      [0.065726829273602, 1, "0.1"],
      [536.5, 0, "536"],
      [0.8, 4, "0.8000"],
      [0.007494962284984053, 3, "0.007"],
      [99.6875, 0, "100"],
      [0.252, 4, "0.2520"],
      [2.4053939255833456, 2, "2.41"],
      [4.1484375, 3, "4.148"],
      [0.8, 5, "0.80000"],
      [0.3537840239532589, 5, "0.35378"],
      [6.728515625, 1, "6.7"],
      [0.53182, 4, "0.5318"],
      [0.01870486790542003, 6, "0.018705"],
      [1.46484375, 0, "1"],
      [0.78, 1, "0.8"],
      [1.4155897105852455, 5, "1.41559"],
      [1.923828125, 0, "2"],
      [0.32598, 4, "0.3260"],
      [555.4418748802469, 6, "555.441875"],
      [1.697265625, 0, "2"],
      [0.248, 0, "0"],
      [7.722610987554884, 3, "7.723"],
      [57.0, 3, "57.000"],
      [0.32561, 4, "0.3256"],
      [51.21614724353194, 2, "51.22"],
      [7.236328125, 4, "7.2363"],
      [0.80736, 1, "0.8"],
      [0.06992178821802858, 4, "0.0699"],
      [6.48046875, 1, "6.5"],
      [0.4166, 3, "0.417"],
      [31.59797942083038, 1, "31.6"],
      [877.0, 1, "877.0"],
      [0.7, 6, "0.700000"],
      [15.44466237686921, 5, "15.44466"],
      [374.875, 2, "374.88"],
      [0.8828, 1, "0.9"],
      [0.0007466820921935449, 3, "0.001"],
      [498.875, 5, "498.87500"],
      [0.83, 5, "0.83000"],
      [4.315218179976389, 3, "4.315"],
      [21.703125, 1, "21.7"],
      [0.4, 5, "0.40000"],
      [0.03659525142571548, 4, "0.0366"],
      [14.67578125, 5, "14.67578"],
      [0.018, 4, "0.0180"],
      [6.2392707389186395, 0, "6"],
      [57.75, 0, "58"],
      [0.084, 0, "0"],
      [0.009058986885770963, 2, "0.01"],
      [8.2890625, 6, "8.289062"],
      [0.911, 3, "0.911"]
    ];
    for (const [x, d, s] of table) expect([x, d, formatFixed(x, d)]).toEqual([x, d, s]);
  });

  it("npSum is numpy's pairwise summation (bit-equal on sums where order matters)", () => {
    // np.sum(np.array([1e16] + [1.0] * n)) - 1e16 for n = 4, 9, 20 is 0, 8, 16 (numpy 1.24)
    expect(npSum([1e16, 1, 1, 1, 1]) - 1e16).toBe(0);
    expect(npSum([1e16, ...Array(9).fill(1)]) - 1e16).toBe(8);
    expect(npSum([1e16, ...Array(20).fill(1)]) - 1e16).toBe(16);
  });
});
