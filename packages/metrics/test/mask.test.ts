// Metrics built on MeanMetricWrapper (accuracy, the error metrics) leave masked entries out, as
// Keras's MeanMetricWrapper turns the prediction's mask into sample weights. Closed forms by hand.
import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { MeanAbsoluteError, SparseCategoricalAccuracy } from '../src/index';

describe('metrics honour the mask a prediction carries', () => {
  it('MAE over the valid steps only, across batches, with sample weights', () => {
    const m = MeanAbsoluteError();
    const p1 = T.withMask(T.tensor3d([[[1], [2], [3]]]), T.tensor2d([[1, 0, 1]], [1, 3], 'bool'));
    m.updateState(T.zeros([1, 3, 1]), p1);
    expect(m.result().dataSync()[0]).toBeCloseTo(2, 6);
    const p2 = T.withMask(T.tensor3d([[[10], [20], [30]]]), T.tensor2d([[0, 0, 1]], [1, 3], 'bool'));
    m.updateState(T.zeros([1, 3, 1]), p2);
    // (1 + 3 + 30) / 3 valid steps
    expect(m.result().dataSync()[0]).toBeCloseTo(34 / 3, 5);
    m.resetState();
    const pw = T.withMask(T.tensor3d([[[1], [2]], [[3], [4]]]), T.tensor2d([[1, 1], [0, 1]], [2, 2], 'bool'));
    m.updateState(T.zeros([2, 2, 1]), pw, T.tensor1d([1, 2]));
    // (1·1 + 1·2 + 2·4) / (1 + 1 + 2)
    expect(m.result().dataSync()[0]).toBeCloseTo(11 / 4, 6);
    T.dispose([p1, p2, pw]);
    m.dispose();
  });

  it('sparse categorical accuracy over a masked sequence', () => {
    const m = SparseCategoricalAccuracy();
    const p = T.withMask(T.tensor3d([[[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]]), T.tensor2d([[1, 1, 0]], [1, 3], 'bool'));
    // right, wrong, (masked, would be wrong)
    m.updateState(T.tensor2d([[0, 0, 1]]), p);
    expect(m.result().dataSync()[0]).toBeCloseTo(0.5, 6);
    p.dispose();
    m.dispose();
  });
});
