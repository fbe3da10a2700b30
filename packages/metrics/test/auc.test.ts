import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as M from '../src/index';

// AUC's options, thresholds, state layout and errors; its values over real data are in
// stateful-reference.test.ts (numpy re-implementation of Keras and scikit-learn).

const one = (t: T.Tensor): number => {
  const x = t.dataSync()[0];
  t.dispose();
  return x;
};

describe('AUC', () => {
  it("Keras's docstring: 3 thresholds give 0.75, and 1.0 with sample weights [1, 0, 0, 1]", () => {
    const m = M.AUC({ numThresholds: 3 });
    expect(m.thresholds.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([-1e-7, 0.5, 1.0000001]);
    m.updateState(T.tensor1d([0, 0, 1, 1]), T.tensor1d([0, 0.5, 0.3, 0.9]));
    // tp = [2, 1, 0], fp = [2, 0, 0], tn = [0, 2, 2], fn = [0, 1, 2]
    expect(Array.from(m.getState().dataSync())).toEqual([2, 1, 0, 2, 0, 0, 0, 2, 2, 0, 1, 2]);
    expect(one(m.result())).toBeCloseTo(0.75, 6);
    m.resetState();
    m.updateState(T.tensor1d([0, 0, 1, 1]), T.tensor1d([0, 0.5, 0.3, 0.9]), T.tensor1d([1, 0, 0, 1]));
    expect(one(m.result())).toBeCloseTo(1, 6);
    // the same thresholds given explicitly take the direct comparison, with the same counts
    const given = M.AUC({ thresholds: [0.5] });
    given.updateState(T.tensor1d([0, 0, 1, 1]), T.tensor1d([0, 0.5, 0.3, 0.9]));
    expect(one(given.result())).toBeCloseTo(0.75, 6);
    m.dispose();
    given.dispose();
  });

  it('predictions exactly 0 and 1 count at the epsilon end thresholds; out-of-range ones are clipped (bucket method)', () => {
    const m = M.AUC({ numThresholds: 3 });
    m.updateState(T.tensor1d([1, 0, 1, 0]), T.tensor1d([1, 0, 1.5, -0.5]));
    // every prediction is above -ε; none above 1 + ε; 1 and 1.5 above 0.5
    expect(Array.from(m.getState().dataSync()).slice(0, 6)).toEqual([2, 2, 0, 2, 0, 0]);
    m.dispose();
  });

  it('defaults, options and config as Keras (camelCase); lowercase curve names accepted', () => {
    const m = M.AUC();
    expect([m.numThresholds, m.curve, m.summationMethod, m.multiLabel, m.name, m.stateSize]).toEqual([200, 'ROC', 'interpolation', false, 'auc', 800]);
    expect(m.thresholds[1]).toBeCloseTo(1 / 199, 12);
    expect(m.getConfig()).toEqual({
      name: 'auc',
      numThresholds: 200,
      curve: 'ROC',
      summationMethod: 'interpolation',
      multiLabel: false,
      numLabels: null,
      labelWeights: null,
      fromLogits: false,
    });
    const pr = M.AUC({ curve: 'pr' as M.AUCCurve, summationMethod: 'Majoring' as M.AUCSummationMethod, thresholds: [0.8, 0.1] });
    expect([pr.curve, pr.summationMethod, pr.numThresholds]).toEqual(['PR', 'majoring', 4]);
    expect(pr.getConfig().thresholds).toEqual([0.1, 0.8]);
    expect(M.AUC({ multiLabel: true, numLabels: 3, numThresholds: 10 }).stateSize).toBe(120);
  });

  it('bad options say what was expected', () => {
    expect(() => M.AUC({ numThresholds: 1 })).toThrow('AUC: numThresholds must be an integer >= 2, got 1');
    expect(() => M.AUC({ curve: 'XY' as M.AUCCurve })).toThrow(`AUC: curve must be 'ROC', 'PR' or 'PRGAIN', got "XY"`);
    expect(() => M.AUC({ summationMethod: 'mid' as M.AUCSummationMethod })).toThrow(
      `AUC: summationMethod must be 'interpolation', 'minoring' or 'majoring', got "mid"`,
    );
    expect(() => M.AUC({ thresholds: [0.5, 1.5] })).toThrow('AUC: thresholds must be an array of numbers in [0, 1], got [0.5, 1.5]');
    expect(() => M.AUC({ numLabels: 3 })).toThrow('AUC: numLabels is needed only when multiLabel is true');
    expect(() => M.AUC({ labelWeights: [1, -1] })).toThrow('AUC: labelWeights must be a non-empty array of finite numbers >= 0, got [1, -1]');
    expect(() => M.AUC({ multiLabel: true, numLabels: 2, labelWeights: [1] })).toThrow('AUC: labelWeights has 1 entries for numLabels 2');
    expect(() => M.AUC({ numThreshold: 3 } as M.AUCOptions)).toThrow('AUC: unknown option "numThreshold"');
  });

  it('multi-label without numLabels learns the label count from the first batch', () => {
    const m = M.AUC({ multiLabel: true, numThresholds: 5 });
    expect(() => m.stateSize).toThrow('AUC "auc": the state size (4 × numThresholds × labels) is known after the first batch, or give numLabels');
    expect(one(m.result())).toBe(0);
    const yt = T.tensor2d([[1, 0], [0, 1], [1, 1]]);
    const yp = T.tensor2d([[0.9, 0.2], [0.3, 0.7], [0.6, 0.4]]);
    m.updateState(yt, yp);
    expect(m.stateSize).toBe(40);
    // label 0 and 1 are each separated perfectly
    expect(one(m.result())).toBeCloseTo(1, 6);
    expect(() => m.updateState(T.tensor2d([[1, 0, 1]]), T.tensor2d([[1, 0, 1]]))).toThrow('AUC "auc": built for 2 labels, got yPred [1, 3]');
    expect(() => m.updateState(T.tensor1d([1]), T.tensor1d([1]))).toThrow(
      'AUC "auc": yPred must have rank 2 [batch, labels] when multiLabel is true, got shape [1]',
    );
    expect(() => M.AUC({ labelWeights: [1, 2, 3] }).updateState(yt, yp)).toThrow(
      `AUC "auc": labelWeights has 3 entries for yPred's 2 outputs (shape [3, 2])`,
    );
    m.dispose();
  });

  it('fromLogits applies a sigmoid: logits give the AUC of their probabilities', () => {
    const yt = T.tensor1d([0, 1, 1, 0, 1]);
    const logits = T.tensor1d([-2, 0.5, 3, 1, -0.2]);
    const a = M.AUC({ fromLogits: true });
    const b = M.AUC();
    a.updateState(yt, logits);
    b.updateState(yt, T.sigmoid(logits));
    expect(one(a.result())).toBeCloseTo(one(b.result()), 6);
    a.dispose();
    b.dispose();
  });
});
