// Masks through a model, as Keras: Graph.run hands each layer the mask of its input and gives the
// outputs theirs, and the loss and the metrics leave masked time steps out (the mask is a sample
// weight; for the mean loss the valid entries count total/valid). Expected numbers are computed
// here in plain JavaScript from the model's own predictions and the masks.
import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, Embedding, Input, Masking, resetNames } from '@neurona/layers';
import { FunctionalModel, Model, Sequential, type ModelArgs, type StepData, type StepLogs } from '../src/index';

beforeEach(() => resetNames());

// ids with padding (0) at the ends: 7 of the 12 steps are real
const IDS = [
  [3, 1, 2, 0],
  [4, 0, 0, 0],
  [1, 1, 2, 3],
];
const VALID = IDS.flat().map((id) => id !== 0);

function model(seed = 1): FunctionalModel<Tensor> {
  T.setSeed(seed);
  const ids = Input({ shape: [4] });
  const e = Embedding(5, 3, { maskZero: true }).apply(ids);
  const out = Dense(2).apply(e);
  return Model({ inputs: ids, outputs: out }) as FunctionalModel<Tensor>;
}

const targets = (fill = 0.5) => T.tensor3d(IDS.map((row, i) => row.map((_, j) => [i - j * fill, fill + j])));

/** The Keras masked mean: Σ over valid steps of the per-step loss / number of valid steps. */
function maskedMean(pred: number[], truth: number[], perStep: (p: number[], t: number[]) => number, weights?: number[]): number {
  let s = 0;
  let n = 0;
  VALID.forEach((ok, k) => {
    n += ok ? 1 : 0;
    if (ok) s += perStep(pred.slice(2 * k, 2 * k + 2), truth.slice(2 * k, 2 * k + 2)) * (weights ? weights[Math.floor(k / 4)] : 1);
  });
  return s / n;
}
const se = (p: number[], t: number[]) => ((p[0] - t[0]) ** 2 + (p[1] - t[1]) ** 2) / 2;
const ae = (p: number[], t: number[]) => (Math.abs(p[0] - t[0]) + Math.abs(p[1] - t[1])) / 2;

describe('masks through a model', () => {
  it('symbolic outputs and concrete outputs carry the mask; predict gives plain values', () => {
    const m = model();
    expect(m.outputs[0].hasMask).toBe(true);
    const x = T.tensor2d(IDS);
    const y = m.apply(x);
    expect(Array.from(T.maskOf(y)?.dataSync() ?? [], Boolean)).toEqual(VALID);
    const before = T.memory().numTensors;
    y.dispose();
    // the mask goes with its output
    expect(T.memory().numTensors).toBe(before - 2);
    const p = m.predict(x);
    expect(p.shape).toEqual([3, 4, 2]);
    T.dispose([x, p]);
  });

  it('a mask given to model.apply flows to the layers (Masking-free model)', () => {
    T.setSeed(2);
    const inp = Input({ shape: [3, 2] });
    const m = Model({ inputs: inp, outputs: Dense(1).apply(inp) });
    const x = T.ones([1, 3, 2]);
    const y = m.apply(x, { mask: T.tensor2d([[1, 1, 0]], [1, 3], 'bool') });
    expect(Array.from(T.maskOf(y)?.dataSync() ?? [])).toEqual([1, 1, 0]);
    T.dispose([x, y]);
  });

  it('evaluate: the loss and the metrics average over the valid steps only (Keras apply_mask)', async () => {
    const m = model();
    m.compile({ loss: 'mse', optimizer: 'sgd', metrics: ['mae'] });
    const x = T.tensor2d(IDS);
    const y = targets();
    const pred = Array.from(m.predict(x).dataSync());
    const truth = Array.from(y.dataSync());
    const r = await m.evaluate(x, y, { returnDict: true });
    expect(r.loss).toBeCloseTo(maskedMean(pred, truth, se), 5);
    expect(r.mae).toBeCloseTo(maskedMean(pred, truth, ae), 5);
    // what lies under the mask does not count at all
    const y2 = T.tensor3d(IDS.map((row, i) => row.map((id, j) => (id === 0 ? [100, -100] : [i - j * 0.5, 0.5 + j]))));
    const r2 = await m.evaluate(x, y2, { returnDict: true });
    expect(r2.loss).toBeCloseTo(r.loss, 5);
    expect(r2.mae).toBeCloseTo(r.mae, 5);
    T.dispose([x, y, y2]);
    m.dispose();
  });

  it('sample weights and the mask combine (per-sample weights weigh each valid step)', async () => {
    const m = model();
    m.compile({ loss: 'mse', optimizer: 'sgd' });
    const x = T.tensor2d(IDS);
    const y = targets();
    const w = [1, 3, 0.5];
    const pred = Array.from(m.predict(x).dataSync());
    const truth = Array.from(y.dataSync());
    const loss = m.computeLoss({ y, yPred: m.apply(x), sampleWeight: T.tensor1d(w) });
    expect(loss.dataSync()[0]).toBeCloseTo(maskedMean(pred, truth, se, w), 5);
    T.dispose([x, y]);
    m.dispose();
  });

  it('fit: the targets under the mask change nothing (same weights after training)', async () => {
    const run = async (fill: number) => {
      const m = model(5);
      m.compile({ loss: 'mse', optimizer: 'adam', metrics: ['mae'] });
      const x = T.tensor2d(IDS);
      const y = T.tensor3d(IDS.map((row, i) => row.map((id, j) => (id === 0 ? [fill, -fill] : [i - j * 0.5, 0.5 + j]))));
      const h = await m.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
      const w = m.getWeights().map((t) => Array.from(t.dataSync()));
      T.dispose([x, y]);
      m.dispose();
      return { w, loss: h.history.loss };
    };
    const a = await run(0);
    const b = await run(1000);
    expect(b.loss).toEqual(a.loss);
    expect(b.w).toEqual(a.w);
  });

  it('the fused step and a custom trainStep (computeLoss on the mask the prediction carries) agree', async () => {
    class Custom extends FunctionalModel {
      override trainStep([x, y]: StepData): StepLogs {
        const { loss, grads } = T.valueAndGradients(() => {
          const yPred = this.apply(x, { training: true }) as Tensor;
          return this.computeLoss({ y, yPred });
        }, this.trainableWeights);
        this.optimizer.apply(grads, this.trainableWeights);
        return { loss };
      }
    }
    const build = (Cls: new (args: ModelArgs) => FunctionalModel) => {
      T.setSeed(9);
      const ids = Input({ shape: [4] });
      const out = Dense(2).apply(Embedding(5, 3, { maskZero: true }).apply(ids));
      return new Cls({ inputs: ids, outputs: out });
    };
    const x = T.tensor2d(IDS);
    const y = targets();
    const results: number[][][] = [];
    for (const Cls of [FunctionalModel, Custom]) {
      const m = build(Cls);
      m.compile({ loss: 'mse', optimizer: 'sgd' });
      await m.fit(x, y, { epochs: 2, batchSize: 3, shuffle: false, verbose: 0 });
      results.push(m.getWeights().map((t) => Array.from(t.dataSync())));
      m.dispose();
    }
    results[1].forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(results[0][i][j], 5)));
    T.dispose([x, y]);
  });

  it('Sequential with Masking: masked steps leave the loss, no tensors leak over fit', async () => {
    T.setSeed(3);
    const m = Sequential([Masking({ maskValue: 0, inputShape: [3, 2] }), Dense(1)]);
    m.compile({ loss: 'mae', optimizer: 'sgd' });
    const x = T.tensor3d([[[1, 2], [0, 0], [3, 1]], [[0, 0], [0, 0], [1, 1]]]);
    const y = T.tensor3d([[[1], [50], [2]], [[-40], [60], [0]]]);
    const pred = Array.from(m.predict(x).dataSync());
    const truth = Array.from(y.dataSync());
    const valid = [true, false, true, false, false, true];
    const expected = valid.reduce((s, ok, k) => s + (ok ? Math.abs(pred[k] - truth[k]) : 0), 0) / 3;
    expect((await m.evaluate(x, y)) as number).toBeCloseTo(expected, 5);
    await m.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    const before = T.memory().numTensors;
    await m.fit(x, y, { epochs: 2, batchSize: 1, verbose: 0 });
    expect(T.memory().numTensors).toBe(before);
    T.dispose([x, y]);
    m.dispose();
  });

  it('a string tensor into a numeric model is a clear error', () => {
    const m = model();
    const s = T.tensor([['a', 'b', 'c', 'd']]);
    expect(() => m.apply(s)).toThrow(/^Model "model(_\d+)?".apply: input \S+ is numeric \(float32\), got a string tensor; turn text into numbers first$/);
    s.dispose();
    m.dispose();
  });
});
