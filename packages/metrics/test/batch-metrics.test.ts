import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as M from '../src/index';
import cases from './sklearn-cases.json';

const v = (t: T.Tensor) => Array.from(t.dataSync());
const close = (a: number[], b: number[], digits = 5) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], digits));

describe('Precision, Recall (batch metrics, Keras definitions)', () => {
  it("Keras's examples: update_state([0, 1, 1, 1], [1, 0, 1, 1]) gives 2/3", () => {
    const t = T.tensor1d([0, 1, 1, 1]);
    const p = T.tensor1d([1, 0, 1, 1]);
    close(v(M.Precision()(t, p)), [2 / 3]);
    close(v(M.Recall()(t, p)), [2 / 3]);
  });

  it('threshold and classId', () => {
    const t = T.tensor2d([[1, 0], [0, 1], [1, 1], [0, 0]]);
    const p = T.tensor2d([[0.9, 0.4], [0.3, 0.8], [0.6, 0.2], [0.7, 0.1]]);
    // column 0: said [1,0,1,1], truth [1,0,1,0] → precision 2/3, recall 1
    close(v(M.Precision({ classId: 0 })(t, p)), [2 / 3]);
    close(v(M.Recall({ classId: 0 })(t, p)), [1]);
    // all elements, threshold 0.35: said [1,1,0,1,1,0,1,0] truth [1,0,0,1,1,1,0,0] → tp 3, fp 2, fn 1
    close(v(M.Precision({ threshold: 0.35 })(t, p)), [3 / 5]);
    close(v(M.Recall({ threshold: 0.35 })(t, p)), [3 / 4]);
    // nothing predicted positive: 0, not NaN (Keras's divide_no_nan)
    close(v(M.Precision({ threshold: 0.99 })(t, p)), [0]);
    expect(() => M.Precision({ classId: 5 })(t, p)).toThrow('precision: classId 5 is outside yPred\'s 2 columns (shape [4, 2])');
    expect(() => M.Recall({ classId: -1 })).toThrow('Recall: classId must be an integer >= 0, got -1');
  });
});

describe('F1Score / FBetaScore (batch metrics, Keras definitions)', () => {
  it("Keras's example (threshold 0.5): per-class [0.5, 0.8, 0.6667], macro is their mean", () => {
    const t = T.tensor2d([[1, 1, 1], [1, 0, 0], [1, 1, 0]]);
    const p = T.tensor2d([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]);
    close(v(M.F1Score({ threshold: 0.5 })(t, p)), [(0.5 + 0.8 + 2 / 3) / 3]);
  });

  it('without a threshold the arg-max class is predicted: matches scikit-learn on one batch', () => {
    const report = cases.reports[0];
    const t = T.oneHot(T.tensor1d(report.yTrue, 'int32'), 3);
    const p = T.add(T.mul(T.cast(T.oneHot(T.tensor1d(report.yPred, 'int32'), 3), 'float32'), 0.7), 0.1);
    const d = report.dict as unknown as Record<string, { 'f1-score': number } | number>;
    close(v(M.F1Score()(t, p)), [(d['macro avg'] as { 'f1-score': number })['f1-score']]);
    close(v(M.F1Score({ average: 'weighted' })(t, p)), [(d['weighted avg'] as { 'f1-score': number })['f1-score']]);
    close(v(M.F1Score({ average: 'micro' })(t, p)), [d.accuracy as number]);
    const b = cases.scores.find((s) => s.name === 'base' && s.average === 'macro');
    close(v(M.FBetaScore({ beta: 2 })(t, p)), [b!.fbeta2 as number]);
    close(v(M.FBetaScore({ beta: 0.5 })(t, p)), [b!.fbeta05 as number]);
  });

  it('bad configuration and shapes', () => {
    expect(() => M.F1Score({ average: 'samples' as M.FScoreAverage })).toThrow(
      `F1Score: average must be 'macro', 'micro' or 'weighted', got "samples"`,
    );
    expect(() => M.FBetaScore({ beta: 0 })).toThrow('FBetaScore: beta must be > 0, got 0');
    expect(() => M.F1Score()(T.tensor1d([0, 1]), T.tensor2d([[1, 0], [0, 1]]))).toThrow(
      'f1_score: expects yTrue and yPred of one shape [batch, classes], got yTrue [2] and yPred [2, 2]',
    );
  });
});

describe('regression metrics', () => {
  it('mse, mae, mape, msle: mean over the batch', () => {
    const t = T.tensor2d([[0, 1], [0, 0]]);
    const p = T.tensor2d([[1, 1], [1, 0]]);
    close(v(M.get('mse')(t, p)), [0.5]);
    close(v(M.get('mae')(t, p)), [0.5]);
    close(v(M.MeanAbsolutePercentageError()(T.tensor2d([[2, 4]]), T.tensor2d([[1, 5]]))), [37.5]);
    close(v(M.MeanSquaredLogarithmicError()(T.tensor2d([[0, 1]]), T.tensor2d([[1, 1]]))), [Math.log(2) ** 2 / 2]);
    expect(M.get('mean_squared_error').name).toBe('mean_squared_error');
  });

  it('metrics leak no tensors', () => {
    const t = T.tensor2d([[0, 1], [1, 0]]);
    const p = T.tensor2d([[0.2, 0.8], [0.6, 0.4]]);
    const before = T.memory().numTensors;
    for (const m of [M.get('accuracy'), M.get('mse'), M.Precision(), M.Recall(), M.F1Score(), M.TopKCategoricalAccuracy({ k: 1 })]) {
      m(t, p).dispose();
    }
    expect(T.memory().numTensors).toBe(before);
  });
});
