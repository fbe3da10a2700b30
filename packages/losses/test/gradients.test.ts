import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as L from '../src/index';
import { REF } from './reference';

const I = REF.inputs;
const shift = (a: number[][], d: number[][]) => a.map((r, i) => r.map((v, j) => v + d[i][j]));
// offsets that keep every input away from kinks (|e| = 0 for MAE, the hinge margin, clip bounds)
const D = [[0.05, 0.03, 0.07], [0.04, 0.06, 0.05], [0.05, 0.02, 0.03], [0.06, 0.05, 0.04]];
const ytNoZero = I.yt_reg.map((r) => r.map((v) => (v === 0 ? 0.8 : v)));
const probs = [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.3, 0.3, 0.5], [0.05, 0.9, 0.05]];
const binP = [[0.9, 0.2], [0.1, 0.4], [0.6, 0.7], [0.3, 0.8]];
const soft = I.onehot.map((r) => r.map((v) => v * 0.8 + 0.05));
const logits = [[2.0, -1.0, 0.5], [0.1, 0.2, 3.0], [-1.4, -0.2, 1.3], [1.0, 1.2, -3.0]];

// [name, loss, yTrue, yPred]
const cases: [string, L.Loss, number[][], number[][]][] = [
  ['mse', L.MeanSquaredError(), I.yt_reg, shift(I.yp_reg, D)],
  ['mae', L.MeanAbsoluteError(), I.yt_reg, shift(I.yp_reg, D)],
  ['mape', L.MeanAbsolutePercentageError(), ytNoZero, shift(I.yp_reg, D)],
  ['msle', L.MeanSquaredLogarithmicError(), I.yt_pos, I.yp_pos],
  ['log_cosh', L.LogCosh(), I.yt_reg, shift(I.yp_reg, D)],
  ['huber', L.Huber(), I.yt_reg, shift(I.yp_reg, D)],
  ['huber delta 0.3', L.Huber({ delta: 0.3 }), I.yt_reg, shift(I.yp_reg, D)],
  ['binary_crossentropy', L.BinaryCrossentropy(), I.bin_t, binP],
  ['binary_crossentropy smoothing', L.BinaryCrossentropy({ labelSmoothing: 0.2 }), I.bin_t, binP],
  ['binary_crossentropy logits', L.BinaryCrossentropy({ fromLogits: true }), I.bin_t, I.bin_z.map((r) => r.map((v) => v / 4))],
  ['binary_crossentropy logits smoothing', L.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.3 }), I.bin_t, I.bin_z.map((r) => r.map((v) => v / 4))],
  ['categorical_crossentropy', L.CategoricalCrossentropy(), I.onehot, probs],
  ['categorical_crossentropy smoothing', L.CategoricalCrossentropy({ labelSmoothing: 0.1 }), I.onehot, probs],
  ['categorical_crossentropy logits', L.CategoricalCrossentropy({ fromLogits: true }), I.onehot, logits],
  ['categorical_crossentropy logits smoothing', L.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }), soft, logits],
  ['hinge', L.Hinge(), I.hinge_t, shift(I.yp_reg, D)],
  ['squared_hinge', L.SquaredHinge(), I.hinge_t, shift(I.yp_reg, D)],
  ['categorical_hinge', L.CategoricalHinge(), I.onehot, logits],
  ['kl_divergence', L.KLDivergence(), soft, probs],
  ['poisson', L.Poisson(), I.yt_pos, I.yp_pos],
];

function finiteDifference(f: (p: number[][]) => number, p: number[][], h = 1e-3): number[] {
  const out: number[] = [];
  p.forEach((row, i) =>
    row.forEach((_, j) => {
      const up = p.map((r) => r.slice());
      const down = p.map((r) => r.slice());
      up[i][j] += h;
      down[i][j] -= h;
      out.push((f(up) - f(down)) / (2 * h));
    }),
  );
  return out;
}

function expectGradClose(actual: number[], expected: number[]): void {
  actual.forEach((a, i) => {
    const tol = 2e-3 + 1e-2 * Math.abs(expected[i]);
    if (!(Math.abs(a - expected[i]) <= tol)) throw new Error(`element ${i}: gradient ${a}, finite difference ${expected[i]}`);
  });
}

describe('every loss: gradient with respect to yPred equals finite differences', () => {
  for (const [name, loss, yt, yp] of cases) {
    it(name, () => {
      const t = T.tensor2d(yt);
      const [g] = T.grads((p: T.Tensor) => loss(t, p))([T.tensor2d(yp)]);
      const f = (p: number[][]) => loss(t, T.tensor2d(p)).dataSync()[0];
      expectGradClose(Array.from(g.dataSync()), finiteDifference(f, yp));
    });
  }

  it('sparse categorical cross-entropy (probabilities and logits)', () => {
    const labels = T.tensor1d([0, 1, 2, 1], 'int32');
    for (const [loss, yp] of [[L.SparseCategoricalCrossentropy(), probs], [L.SparseCategoricalCrossentropy({ fromLogits: true }), logits]] as const) {
      const [g] = T.grads((p: T.Tensor) => loss(labels, p))([T.tensor2d(yp)]);
      expectGradClose(Array.from(g.dataSync()), finiteDifference((p) => loss(labels, T.tensor2d(p)).dataSync()[0], yp));
    }
  });

  it('sample weights scale the gradient per sample', () => {
    const loss = L.MeanSquaredError();
    const t = T.tensor2d(I.yt_reg);
    const w = T.tensor1d([0.5, 2, 0, 1]);
    const yp = shift(I.yp_reg, D);
    const [g] = T.grads((p: T.Tensor) => loss(t, p, w))([T.tensor2d(yp)]);
    expectGradClose(Array.from(g.dataSync()), finiteDifference((p) => loss(t, T.tensor2d(p), w).dataSync()[0], yp));
  });
});

describe('softmaxCrossEntropyFromLogits: the fused op', () => {
  it('its gradient is (softmax(logits) - y) / batch under the mean, from one backward op', () => {
    const y = T.tensor2d(I.onehot);
    const z = T.tensor2d(logits);
    const [g] = T.grads((p: T.Tensor) => T.mean(L.softmaxCrossEntropyFromLogits(y, p)))([z]);
    const expected = T.div(T.sub(T.softmax(z), y), 4);
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i], 6));
  });

  it('for labels that do not sum to 1 the gradient is still the exact derivative, softmax·Σy - y', () => {
    const y = T.tensor2d(soft); // rows sum to 0.95
    const z = T.tensor2d(logits);
    const [g] = T.grads((p: T.Tensor) => T.sum(L.softmaxCrossEntropyFromLogits(y, p)))([z]);
    const expected = T.sub(T.mul(T.softmax(z), 0.95), y);
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i], 6));
  });

  it('matches the unfused log-softmax form in value and gradient, label smoothing included', () => {
    const y = T.tensor2d(I.onehot);
    const z = T.tensor2d(logits);
    const plain = (p: T.Tensor) => {
      const ys = T.add(T.mul(y, 0.8), 0.2 / 3);
      return T.mean(T.neg(T.sum(T.mul(ys, T.logSoftmax(p)), -1)));
    };
    const fused = (p: T.Tensor) => T.mean(L.softmaxCrossEntropyFromLogits(y, p, 0.2));
    expect(fused(z).dataSync()[0]).toBeCloseTo(plain(z).dataSync()[0], 6);
    const [a] = T.grads(fused)([z]);
    const [b] = T.grads(plain)([z]);
    Array.from(a.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(b.dataSync()[i], 6));
  });

  it('gradient with respect to the labels is -logSoftmax(logits)', () => {
    const z = T.tensor2d(logits);
    const [gy] = T.grads((y: T.Tensor) => T.sum(L.softmaxCrossEntropyFromLogits(y, z)))([T.tensor2d(soft)]);
    const expected = T.neg(T.logSoftmax(z)).dataSync();
    Array.from(gy.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });

  it('leaks no tensors, forward or backward', () => {
    const y = T.tensor2d(I.onehot);
    const z = T.tensor2d(logits);
    const labels = T.tensor1d([0, 1, 2, 1]);
    const p = T.tensor2d(probs);
    const w = T.tensor1d([1, 2, 3, 4]);
    const before = T.memory().numTensors;
    const { value, grads } = T.valueAndGrads((q: T.Tensor) => T.mean(L.softmaxCrossEntropyFromLogits(y, q)))([z]);
    T.dispose([value, ...grads]);
    for (const loss of [L.CategoricalCrossentropy(), L.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), L.Huber(), L.Hinge()]) {
      loss(y, p, w).dispose();
    }
    L.SparseCategoricalCrossentropy()(labels, p).dispose();
    L.sparseCategoricalCrossentropy(labels, z, { fromLogits: true }).dispose();
    expect(T.memory().numTensors).toBe(before);
  });
});
