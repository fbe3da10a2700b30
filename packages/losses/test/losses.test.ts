import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as L from '../src/index';
import { REF } from './reference';

const I = REF.inputs;
const t2 = (a: number[][]) => T.tensor2d(a);

function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-5, abs = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = abs + rel * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`index ${i}: got ${actual[i]}, expected ${expected[i]} (±${tol})`);
    }
  }
}
const values = (t: T.Tensor) => Array.from(t.dataSync());
const meanOf = (a: readonly number[]) => a.reduce((s, x) => s + x, 0) / a.length;

// [description, per-sample function, factory, yTrue, yPred, expected per-sample values]
type Case = [string, (t: T.Tensor, p: T.Tensor) => T.Tensor, () => L.Loss, number[][], number[][], number[]];
const cases: Case[] = [
  ['mean_squared_error', L.meanSquaredError, () => L.MeanSquaredError(), I.yt_reg, I.yp_reg, REF.mse],
  ['mean_absolute_error', L.meanAbsoluteError, () => L.MeanAbsoluteError(), I.yt_reg, I.yp_reg, REF.mae],
  ['mean_absolute_percentage_error', L.meanAbsolutePercentageError, () => L.MeanAbsolutePercentageError(), I.yt_reg, I.yp_reg, REF.mape],
  ['mean_squared_logarithmic_error', L.meanSquaredLogarithmicError, () => L.MeanSquaredLogarithmicError(), I.yt_pos, I.yp_pos, REF.msle],
  ['log_cosh', L.logCosh, () => L.LogCosh(), I.yt_reg, I.yp_reg, REF.log_cosh],
  ['huber', L.huber, () => L.Huber(), I.yt_reg, I.yp_reg, REF.huber],
  ['huber delta 0.7', (t, p) => L.huber(t, p, 0.7), () => L.Huber({ delta: 0.7 }), I.yt_reg, I.yp_reg, REF['huber_0.7']],
  ['binary_crossentropy', L.binaryCrossentropy, () => L.BinaryCrossentropy(), I.bin_t, I.bin_p, REF.bce],
  ['binary_crossentropy labelSmoothing 0.2', (t, p) => L.binaryCrossentropy(t, p, { labelSmoothing: 0.2 }),
    () => L.BinaryCrossentropy({ labelSmoothing: 0.2 }), I.bin_t, I.bin_p, REF['bce_ls0.2']],
  ['binary_crossentropy fromLogits', (t, p) => L.binaryCrossentropy(t, p, { fromLogits: true }),
    () => L.BinaryCrossentropy({ fromLogits: true }), I.bin_t, I.bin_z, REF.bce_logits],
  ['binary_crossentropy fromLogits labelSmoothing 0.2', (t, p) => L.binaryCrossentropy(t, p, { fromLogits: true, labelSmoothing: 0.2 }),
    () => L.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }), I.bin_t, I.bin_z, REF['bce_logits_ls0.2']],
  ['categorical_crossentropy', L.categoricalCrossentropy, () => L.CategoricalCrossentropy(), I.onehot, I.probs, REF.cce],
  ['categorical_crossentropy labelSmoothing 0.1', (t, p) => L.categoricalCrossentropy(t, p, { labelSmoothing: 0.1 }),
    () => L.CategoricalCrossentropy({ labelSmoothing: 0.1 }), I.onehot, I.probs, REF['cce_ls0.1']],
  ['categorical_crossentropy fromLogits', (t, p) => L.categoricalCrossentropy(t, p, { fromLogits: true }),
    () => L.CategoricalCrossentropy({ fromLogits: true }), I.onehot, I.logits, REF.cce_logits],
  ['categorical_crossentropy fromLogits labelSmoothing 0.2', (t, p) => L.categoricalCrossentropy(t, p, { fromLogits: true, labelSmoothing: 0.2 }),
    () => L.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }), I.onehot, I.logits, REF['cce_logits_ls0.2']],
  ['softmaxCrossEntropyFromLogits', L.softmaxCrossEntropyFromLogits, () => L.CategoricalCrossentropy({ fromLogits: true }), I.onehot, I.logits, REF.cce_logits],
  ['hinge, labels -1/1', L.hinge, () => L.Hinge(), I.hinge_t, I.yt_reg, REF.hinge_pm1],
  ['hinge, labels 0/1 converted', L.hinge, () => L.Hinge(), I.bin_t, I.bin_z, REF.hinge_01],
  ['squared_hinge, labels -1/1', L.squaredHinge, () => L.SquaredHinge(), I.hinge_t, I.yt_reg, REF.squared_hinge_pm1],
  ['squared_hinge, labels 0/1 converted', L.squaredHinge, () => L.SquaredHinge(), I.bin_t, I.bin_z, REF.squared_hinge_01],
  ['categorical_hinge', L.categoricalHinge, () => L.CategoricalHinge(), I.onehot, I.logits, REF.categorical_hinge],
  ['kl_divergence', L.klDivergence, () => L.KLDivergence(), I.onehot.map((r) => r.map((v) => v * 0.8 + 0.05)), I.probs, REF.kld],
  ['kl_divergence, one-hot target', L.klDivergence, () => L.KLDivergence(), I.onehot, I.probs, REF.kld_onehot],
  ['poisson', L.poisson, () => L.Poisson(), I.yt_pos, I.yp_pos, REF.poisson],
];

describe('loss values against numpy/PyTorch references (Keras formulas)', () => {
  for (const [name, fn, factory, yt, yp, expected] of cases) {
    it(`${name}: per-sample function, and the loss with mean / sum / none`, () => {
      const t = t2(yt);
      const p = t2(yp);
      expectClose(values(fn(t, p)), expected);
      expectClose(values(factory()(t, p)), [meanOf(expected)]);
      const sum = factory().getConfig();
      expectClose(values(L.get({ className: factory().className, config: { ...sum, reduction: 'sum' } })(t, p)), [expected.reduce((a, b) => a + b, 0)]);
      const none = L.get({ className: factory().className, config: { ...sum, reduction: 'none' } })(t, p);
      expect(none.shape).toEqual([4]);
      expectClose(values(none), expected);
    });
  }

  it('sparse_categorical_crossentropy equals categorical on the one-hot labels (probabilities and logits)', () => {
    const labels = T.tensor1d([0, 1, 2, 1], 'int32');
    expectClose(values(L.sparseCategoricalCrossentropy(labels, t2(I.probs))), REF.cce);
    expectClose(values(L.sparseCategoricalCrossentropy(labels, t2(I.logits), { fromLogits: true })), REF.cce_logits);
    // float labels shaped [batch, 1] are accepted as Keras does
    const col = T.tensor2d([[0], [1], [2], [1]]);
    expectClose(values(L.SparseCategoricalCrossentropy()(col, t2(I.probs))), [meanOf(REF.cce)]);
    expectClose(values(L.get('sparse_categorical_crossentropy')(labels, t2(I.probs))), [meanOf(REF.cce)]);
  });

  it('PyTorch CrossEntropyLoss(label_smoothing=0.2) on logits matches fromLogits + labelSmoothing', () => {
    // the torch cross-check is in reference.py; here: mean over the batch as nn.CrossEntropyLoss
    const v = L.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 })(t2(I.onehot), t2(I.logits));
    expectClose(values(v), [meanOf(REF['cce_logits_ls0.2'])]);
  });

  it('extreme logits stay finite (log-sum-exp / softplus forms)', () => {
    const z = T.tensor2d([[1000, -1000, 0], [-1000, 1000, 0]]);
    const y = T.tensor2d([[0, 1, 0], [0, 1, 0]]);
    expectClose(values(L.categoricalCrossentropy(y, z, { fromLogits: true })), [2000, 0]);
    const b = L.binaryCrossentropy(T.tensor2d([[1], [0]]), T.tensor2d([[-500], [-500]]), { fromLogits: true });
    expectClose(values(b), [500, 0]);
  });

  it('probabilities are clipped to [1e-7, 1 - 1e-7] as Keras: a zero probability costs -log(1e-7)', () => {
    const v = L.categoricalCrossentropy(T.tensor2d([[0, 1]]), T.tensor2d([[1, 0]]));
    expectClose(values(v), [-Math.log(1e-7)], 1e-5);
    const b = L.binaryCrossentropy(T.tensor2d([[1]]), T.tensor2d([[0]]));
    expectClose(values(b), [-Math.log(1e-7)], 1e-5);
  });
});
