// A prediction that carries a mask (Keras's `_keras_mask`) leaves masked entries out of the loss,
// as Keras's apply_mask: weight 0 where masked; for 'mean' the valid entries weigh total/valid,
// so the mean runs over them; 'sum' and 'none' use the 0/1 mask. Closed forms by hand.
import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { MeanSquaredError, SparseCategoricalCrossentropy, meanSquaredError } from '../src/index';

describe('losses honour the mask a prediction carries', () => {
  // per-step squared errors [[1, 4, 9], [16, 25, 36]], steps [0,1] and [1,2] masked
  const yTrue = () => T.zeros([2, 3, 1]);
  const yPred = () => T.withMask(T.tensor3d([[[1], [2], [3]], [[4], [5], [6]]]), T.tensor2d([[1, 0, 1], [1, 0, 0]], [2, 3], 'bool'));

  it("'mean' averages over the valid entries, 'sum' sums them, 'none' zeroes the masked ones", () => {
    const [t, p] = [yTrue(), yPred()];
    expect(MeanSquaredError()(t, p).dataSync()[0]).toBeCloseTo((1 + 9 + 16) / 3, 5);
    expect(MeanSquaredError({ reduction: 'sum' })(t, p).dataSync()[0]).toBeCloseTo(26, 5);
    expect(Array.from(MeanSquaredError({ reduction: 'none' })(t, p).dataSync())).toEqual([1, 0, 9, 16, 0, 0]);
    // with sample weights [2, 1]: Σ w·loss over valid / valid count
    expect(MeanSquaredError()(t, p, T.tensor1d([2, 1])).dataSync()[0]).toBeCloseTo((2 * 1 + 2 * 9 + 16) / 3, 5);
    // without the mask, the plain mean
    expect(MeanSquaredError()(t, T.tensor3d([[[1], [2], [3]], [[4], [5], [6]]])).dataSync()[0]).toBeCloseTo(91 / 6, 5);
    // the function form has no reduction: per-step values, mask not applied (as Keras's functions)
    expect(meanSquaredError(t, p).shape).toEqual([2, 3]);
    T.dispose([t, p]);
  });

  it('an all-masked batch gives 0, not NaN', () => {
    const p = T.withMask(T.ones([1, 2, 1]), T.zeros([1, 2], 'bool'));
    const t = T.zeros([1, 2, 1]);
    expect(MeanSquaredError()(t, p).dataSync()[0]).toBe(0);
    T.dispose([p, t]);
  });

  it('sparse categorical cross-entropy over a masked sequence', () => {
    const probs = [[[0.7, 0.3], [0.5, 0.5]], [[0.1, 0.9], [0.2, 0.8]]];
    const p = T.withMask(T.tensor3d(probs), T.tensor2d([[1, 0], [1, 1]], [2, 2], 'bool'));
    const t = T.tensor2d([[0, 1], [1, 0]]);
    const expected = -(Math.log(0.7) + Math.log(0.9) + Math.log(0.2)) / 3;
    expect(SparseCategoricalCrossentropy()(t, p).dataSync()[0]).toBeCloseTo(expected, 5);
    T.dispose([p, t]);
  });

  it('a mask that does not match the per-step losses is a clear error', () => {
    const p = T.withMask(T.ones([2, 3, 1]), T.ones([2, 2], 'bool'));
    const t = T.zeros([2, 3, 1]);
    expect(() => MeanSquaredError()(t, p)).toThrow(
      'mean_squared_error: the prediction carries a mask of shape [2, 2], which does not match the per-sample losses [2, 3]; a mask covers the prediction\'s leading axes (e.g. [batch, time] for [batch, time, units])',
    );
    T.dispose([p, t]);
  });
});
