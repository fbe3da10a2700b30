// Bidirectional (every merge mode, with and without masks and returnSequences) against PyTorch;
// TimeDistributed (closed form); every recurrent layer and cell through runLayerTest; stateful
// layers, dropout, initial states in a functional model, and the errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import {
  Bidirectional,
  BidirectionalLayer,
  Dense,
  DenseLayer,
  Embedding,
  GRU,
  GRUCell,
  GRUCellLayer,
  GRULayer,
  Input,
  LSTM,
  LSTMCell,
  LSTMCellLayer,
  LSTMLayer,
  RNN,
  RNNLayer,
  SimpleRNN,
  SimpleRNNCellLayer,
  SimpleRNNLayer,
  StackedRNNCells,
  TimeDistributed,
  TimeDistributedLayer,
  deserializeLayer,
  resetNames,
  runLayerTest,
  serializeLayer,
} from '../src/index';

const REF = JSON.parse(readFileSync(join(import.meta.dirname, 'reference', 'recurrent.json'), 'utf8')) as {
  B: number;
  T: number;
  F: number;
  U: number;
  x: number[];
  mask: number[][];
  constant: Record<string, number[]>;
  bidirectional: Record<
    string,
    {
      forward: Record<string, number[]>;
      backward: Record<string, number[]>;
      cases: { returnSequences: boolean; masked: boolean; mergeMode: string | null; output: number[]; probe: number[]; grads: Record<string, number[]> }[];
    }
  >;
};
const { B, F, U } = REF;
const STEPS = REF.T;

beforeEach(() => resetNames());
afterEach(() => vi.restoreAllMocks());

function expectClose(got: ArrayLike<number>, want: number[], what: string, tol = 2e-5): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) throw new Error(`${what}[${i}]: got ${got[i]}, PyTorch ${want[i]}`);
  }
}

describe('Bidirectional against PyTorch', () => {
  for (const kind of ['lstm', 'gru'] as const) {
    for (const c of REF.bidirectional[kind].cases) {
      it(`${kind}, ${c.mergeMode ?? 'null'}${c.returnSequences ? ', sequences' : ''}${c.masked ? ', masked' : ''}`, () => {
        const inner = kind === 'lstm' ? LSTM(U, { returnSequences: c.returnSequences }) : GRU(U, { returnSequences: c.returnSequences });
        const bi = Bidirectional(inner, { mergeMode: c.mergeMode as 'concat' | null });
        bi.build([null, STEPS, F]);
        expect(bi.forwardLayer.name).toBe(`forward_${inner.name}`);
        expect(bi.backwardLayer.goBackwards).toBe(true);
        const ref = REF.bidirectional[kind];
        // forward weights, then backward weights
        const ws = [ref.forward, ref.backward].flatMap((w) => ['kernel', 'recurrent_kernel', 'bias'].map((k) => w[k]));
        const values = bi.weights.map((v, i) => T.tensor(ws[i], v.shape));
        bi.setWeights(values);
        T.dispose(values);
        const before = T.memory().numTensors;
        T.tidy(() => {
          const x = T.tensor3d(REF.x, [B, STEPS, F]);
          const mask = c.masked ? T.tensor2d(REF.mask, [B, STEPS], 'bool') : undefined;
          const merged = (xs: Tensor): Tensor => {
            const out = bi.apply(xs, { mask }) as Tensor | Tensor[];
            return Array.isArray(out) ? T.stack(out) : out;
          };
          const y = merged(x);
          expectClose(y.dataSync(), c.output, 'output');
          const probe = T.tensor(c.probe, y.shape);
          const gx = T.grads((xs: Tensor) => T.sum(T.mul(merged(xs), probe)))([x]);
          expectClose(gx[0].dataSync(), c.grads.x, 'd/dx');
          const gw = T.valueAndGradients(() => T.sum(T.mul(merged(x), probe)) as T.Scalar, bi.trainableWeights);
          const names = ['f_kernel', 'f_recurrent_kernel', 'f_bias', 'b_kernel', 'b_recurrent_kernel', 'b_bias'];
          gw.grads.forEach((g, i) => expectClose((g as Tensor).dataSync(), c.grads[names[i]], `d/d ${names[i]}`));
          if (c.masked && c.returnSequences) {
            const out = bi.apply(x, { mask });
            const outs = Array.isArray(out) ? out : [out];
            for (const o of outs) expect(Array.from(T.maskOf(o)?.dataSync() ?? [])).toEqual(REF.mask.flat());
          }
        });
        expect(T.memory().numTensors).toBe(before);
        bi.dispose();
      });
    }
  }

  it('config round trip keeps both directions and the merge mode; weights are forward then backward', () => {
    const bi = Bidirectional(LSTM(4, { returnSequences: true }), { mergeMode: 'sum' });
    bi.build([null, 5, 3]);
    expect(bi.weights.map((w) => w.name)).toEqual([
      'bidirectional/forward_lstm/lstm_cell/kernel',
      'bidirectional/forward_lstm/lstm_cell/recurrent_kernel',
      'bidirectional/forward_lstm/lstm_cell/bias',
      'bidirectional/backward_lstm/lstm_cell/kernel',
      'bidirectional/backward_lstm/lstm_cell/recurrent_kernel',
      'bidirectional/backward_lstm/lstm_cell/bias',
    ]);
    const back = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(bi)))) as BidirectionalLayer;
    expect(back.mergeMode).toBe('sum');
    expect(back.forwardLayer.name).toBe('forward_lstm');
    expect(back.backwardLayer.name).toBe('backward_lstm');
    expect(back.backwardLayer.goBackwards).toBe(true);
    expect(back.computeOutputShape([null, 5, 3])).toEqual([null, 5, 4]);
    expect(Bidirectional(GRU(4)).computeOutputShape([null, 5, 3])).toEqual([null, 8]);
    expect(Bidirectional(GRU(4, { returnState: true }), { mergeMode: null }).computeOutputShape([null, 5, 3])).toEqual([
      [null, 4],
      [null, 4],
      [null, 4],
      [null, 4],
    ]);
    bi.dispose();
    back.dispose();
  });

  it('errors: not a recurrent layer, a bad merge mode', () => {
    expect(() => Bidirectional(Dense(3) as never)).toThrow(/Bidirectional "bidirectional": expects a recurrent layer \(LSTM, GRU, SimpleRNN, RNN\), got/);
    expect(() => Bidirectional(LSTM(3), { mergeMode: 'max' as never })).toThrow(/mergeMode must be one of 'concat', 'sum', 'mul', 'ave' or null, got "max"/);
  });
});

describe('TimeDistributed', () => {
  it('applies the layer to every step (a ones kernel: each output is the sum of the step), keeps the mask', async () => {
    const x = T.tensor3d(REF.x, [B, STEPS, F]);
    const expected: number[] = [];
    for (let i = 0; i < B * STEPS; i++) {
      const s = REF.x.slice(i * F, i * F + F).reduce((a, b) => a + b, 0) + 0.5;
      expected.push(s, s);
    }
    const r = await runLayerTest({
      layer: TimeDistributedLayer,
      config: { layer: { className: 'Dense', config: { units: 2, kernelInitializer: 'ones', biasInitializer: { className: 'Constant', config: { value: 0.5 } } } } },
      inputShape: [B, STEPS, F],
      inputData: x,
      expectedOutputShape: [B, STEPS, 2],
      expectedOutput: expected,
      expectedTrainableWeights: 2,
      supportsMasking: true,
    });
    expect(r.checks).toContain('masking');
    x.dispose();
    expect(() => TimeDistributed(Dense(2)).apply(T.zeros([2, 3]))).toThrow(
      /^TimeDistributed "time_distributed_\d+" expects input \[null, timesteps, \.\.\.\] \(rank 3 or more\), got \[2, 3\]$/,
    );
  });
});

describe('every recurrent layer passes runLayerTest', () => {
  const constants = { kernelInitializer: { className: 'Constant', config: { value: 0.3 } }, recurrentInitializer: { className: 'Constant', config: { value: -0.2 } }, biasInitializer: { className: 'Constant', config: { value: 0.1 } } };
  const cases = [
    { layer: LSTMLayer, kind: 'lstm', weights: 3 },
    { layer: GRULayer, kind: 'gru', weights: 3 },
    { layer: SimpleRNNLayer, kind: 'simple', weights: 3 },
  ] as const;
  for (const c of cases) {
    it(`${c.layer.className} (constant weights: values from PyTorch)`, async () => {
      const x = T.tensor3d(REF.x, [B, STEPS, F]);
      await runLayerTest({
        layer: c.layer,
        config: { units: U, returnSequences: true, ...constants },
        inputShape: [B, STEPS, F],
        inputData: x,
        expectedOutputShape: [B, STEPS, U],
        expectedOutput: REF.constant[c.kind],
        expectedTrainableWeights: c.weights,
        expectedNonTrainableWeights: 0,
        supportsMasking: true,
        tolerance: 2e-5,
      });
      x.dispose();
      // random weights, last output, backwards, with states
      await runLayerTest({ layer: c.layer, config: { units: 4, goBackwards: true, returnState: true }, inputShape: [2, 3, 5] });
    });
  }

  it('RNN with each cell, a stack of cells, and the cells alone', async () => {
    for (const cell of [
      { className: 'LSTMCell', config: { units: 3 } },
      { className: 'GRUCell', config: { units: 3, resetAfter: false } },
      { className: 'SimpleRNNCell', config: { units: 3, activation: 'relu' } },
      { className: 'StackedRNNCells', config: { cells: [{ className: 'LSTMCell', config: { units: 3 } }, { className: 'GRUCell', config: { units: 2 } }] } },
    ]) {
      await runLayerTest({ layer: RNNLayer, config: { cell, returnSequences: true }, inputShape: [2, 4, 3], supportsMasking: true });
    }
    await runLayerTest({ layer: LSTMCellLayer, config: { units: 3 }, inputShape: [[2, 4], [2, 3], [2, 3]], expectedOutputShape: [[2, 3], [2, 3], [2, 3]] });
    await runLayerTest({ layer: GRUCellLayer, config: { units: 3 }, inputShape: [[2, 4], [2, 3]], expectedTrainableWeights: 3 });
    await runLayerTest({ layer: SimpleRNNCellLayer, config: { units: 3, useBias: false }, inputShape: [[2, 4], [2, 3]], expectedTrainableWeights: 2 });
  });

  it('Bidirectional', async () => {
    await runLayerTest({
      layer: BidirectionalLayer,
      config: { layer: { className: 'LSTM', config: { units: 3, returnSequences: true } }, mergeMode: 'concat' },
      inputShape: [2, 4, 3],
      expectedOutputShape: [2, 4, 6],
      expectedTrainableWeights: 6,
      supportsMasking: true,
    });
  });
});

describe('recurrent layers: behaviour', () => {
  it('the step-by-step loop and the fused op agree, values and gradients (GRU resetAfter false runs stepwise)', () => {
    const x = T.randomNormal([3, 6, 4], 0, 1, 'float32', 3);
    for (const kind of ['lstm', 'gru', 'simple'] as const) {
      T.setSeed(4);
      const a = kind === 'lstm' ? LSTM(5, { returnSequences: true }) : kind === 'gru' ? GRU(5, { returnSequences: true }) : SimpleRNN(5, { returnSequences: true });
      T.setSeed(4);
      const slowAct = { activation: (t: Tensor) => T.tanh(t) };
      const b = kind === 'lstm' ? LSTM(5, { returnSequences: true, ...slowAct }) : kind === 'gru' ? GRU(5, { returnSequences: true, ...slowAct }) : SimpleRNN(5, { returnSequences: true, ...slowAct });
      a.build([null, 6, 4]);
      b.build([null, 6, 4]);
      b.setWeights(a.getWeights());
      const ga = T.valueAndGradients(() => T.sum(T.square(a.apply(x))) as T.Scalar, a.trainableWeights);
      const gb = T.valueAndGradients(() => T.sum(T.square(b.apply(x))) as T.Scalar, b.trainableWeights);
      expect(ga.loss.dataSync()[0]).toBeCloseTo(gb.loss.dataSync()[0], 4);
      ga.grads.forEach((g, i) => expectClose((g as Tensor).dataSync(), Array.from((gb.grads[i] as Tensor).dataSync()), `${kind} grad ${i}`, 1e-4));
      a.dispose();
      b.dispose();
    }
  });

  it('stateful: the final states of one batch start the next; resetStates starts over', () => {
    T.setSeed(1);
    const whole = LSTM(3, { returnSequences: true });
    const x = T.randomNormal([2, 6, 2], 0, 1, 'float32', 2);
    const full = whole.apply(x);
    const stateful = LSTM(3, { returnSequences: true, stateful: true });
    stateful.build([null, 3, 2]);
    stateful.setWeights(whole.getWeights());
    const first = stateful.apply(T.slice(x, [0, 0, 0], [2, 3, 2]));
    const second = stateful.apply(T.slice(x, [0, 3, 0], [2, 3, 2]));
    expectClose(T.concat([first, second], 1).dataSync(), Array.from(full.dataSync()), 'two halves = the whole', 1e-5);
    stateful.resetStates();
    const again = stateful.apply(T.slice(x, [0, 0, 0], [2, 3, 2]));
    expectClose(again.dataSync(), Array.from(first.dataSync()), 'after resetStates', 1e-6);
    expect(() => stateful.apply(T.zeros([5, 3, 2]))).toThrow(/is stateful with batch size 2 \(its states\), got a batch of 5/);
    expect(() => LSTM(2).resetStates()).toThrow(/is not stateful/);
    const part = T.slice(x, [0, 0, 0], [2, 3, 2]);
    const before = T.memory().numTensors;
    stateful.apply(part).dispose();
    expect(T.memory().numTensors).toBe(before);
    part.dispose();
    whole.dispose();
    stateful.dispose();
  });

  it('dropout: only while training; one mask per sequence (a constant input gives steps of one value pattern); seeded masks repeat', () => {
    const x = T.ones([2, 4, 6]);
    const mk = () => SimpleRNN(3, { dropout: 0.5, recurrentDropout: 0.3, seed: 7, returnSequences: true, kernelInitializer: 'ones', recurrentInitializer: 'zeros' });
    const a = mk();
    const b = mk();
    const inference = a.apply(x);
    expectClose(inference.dataSync(), Array(24).fill(Math.tanh(6)), 'no dropout at inference', 1e-6);
    const ta = a.apply(x, { training: true }).dataSync();
    const tb = b.apply(x, { training: true }).dataSync();
    expect(Array.from(ta)).toEqual(Array.from(tb));
    // with a zero recurrent kernel each step sees the same dropped input: equal across steps
    for (let s = 1; s < 4; s++) for (let j = 0; j < 3; j++) expect(ta[s * 3 + j]).toBeCloseTo(ta[j], 6);
    expect(Array.from(ta)).not.toEqual(Array.from(inference.dataSync()));
    const lstm = LSTM(3, { dropout: 0.4, recurrentDropout: 0.4 });
    lstm.build([null, 4, 6]);
    const before = T.memory().numTensors;
    const { loss, grads } = T.valueAndGradients(() => T.sum(lstm.apply(x, { training: true })) as T.Scalar, lstm.trainableWeights);
    T.dispose([loss, ...(grads as Tensor[])]);
    expect(T.memory().numTensors).toBe(before);
    expect(() => LSTM(3, { dropout: 1 })).toThrow(/dropout must be a number in \[0, 1\), got 1/);
    a.dispose();
    b.dispose();
    lstm.dispose();
  });

  it("an encoder's states start a decoder (initialState as symbolic tensors), and symbolic masks flow", () => {
    const enc = Input({ shape: [5] });
    const e = Embedding(10, 4, { maskZero: true }).apply(enc);
    const [encOut, h, c] = LSTM(6, { returnState: true }).apply(e) as unknown as ReturnType<typeof Input>[];
    expect(encOut.hasMask).toBe(false);
    expect([h.shape, c.shape]).toEqual([
      [null, 6],
      [null, 6],
    ]);
    const dec = Input({ shape: [3, 2] });
    const decOut = LSTM(6, { returnSequences: true }).apply(dec, { initialState: [h, c] });
    expect(decOut.shape).toEqual([null, 3, 6]);
    const seq = LSTM(6, { returnSequences: true }).apply(e);
    expect(seq.hasMask).toBe(true);
    expect(TimeDistributed(Dense(2)).apply(seq).hasMask).toBe(true);
  });

  it('masks: the output of a sequence keeps its mask; a masked step outputs the previous output', () => {
    const x = T.randomNormal([1, 3, 2], 0, 1, 'float32', 9);
    const m = T.tensor2d([[1, 0, 1]], [1, 3], 'bool');
    const y = GRU(2, { returnSequences: true }).apply(x, { mask: m });
    expect(Array.from(T.maskOf(y)?.dataSync() ?? [])).toEqual([1, 0, 1]);
    const v = y.dataSync();
    expect([v[2], v[3]]).toEqual([v[0], v[1]]);
    expect(T.maskOf(GRU(2).apply(x, { mask: m }))).toBeNull();
  });

  it('errors name the layer and what was expected', () => {
    const l = LSTM(4);
    expect(() => l.apply(T.zeros([32, 10]))).toThrow('LSTM "lstm" expects input [null, timesteps, features], got [32, 10]');
    l.apply(T.zeros([2, 5, 8])).dispose();
    expect(() => l.apply(T.zeros([2, 5, 9]))).toThrow('LSTM "lstm" expects input [null, timesteps, 8], got [2, 5, 9]');
    expect(() => l.apply(T.zeros([32, 10, 8]), { mask: T.ones([32, 9], 'bool') })).toThrow(
      /LSTM "lstm" got a mask of shape \[32, 9\] for input \[32, 10, 8\]/,
    );
    expect(() => GRU(3, { name: 'g' }).apply(Input({ shape: [7] }))).toThrow('GRU "g" expects input [null, timesteps, features], got [null, 7]');
    expect(() => l.apply(T.zeros([2, 5, 8]), { initialState: [T.zeros([2, 4])] })).toThrow(/LSTM "lstm" takes 2 initial state\(s\), got 1/);
    expect(() => l.apply(T.zeros([2, 5, 8]), { initialState: [T.zeros([2, 3]), T.zeros([2, 4])] })).toThrow(/initial state 0 must be \[2, 4\], got \[2, 3\]/);
    expect(() => LSTM(0)).toThrow(/units must be a positive integer, got 0/);
    expect(() => LSTM(3, { retrunSequences: true } as never)).toThrow(/LSTM: unknown option "retrunSequences"/);
    expect(() => RNN('lstm' as never)).toThrow(/expects a recurrent cell \(LSTMCell\(32\), GRUCell, SimpleRNNCell, a list of them\), got "lstm"/);
    expect(() => StackedRNNCells([])).toThrow(/expects a non-empty list of recurrent cells/);
    expect(() => LSTM(3).apply(T.tensor([['a']]) as never)).toThrow(/expects numeric input, got a string tensor/);
    l.dispose();
  });

  it("Keras's defaults and config: LSTM unitForgetBias, GRU resetAfter, names, round trips", () => {
    const l = LSTM(2);
    l.build([null, 3, 4]);
    // (layers of earlier tests still hold these names: tfjs then suffixes _1, _2...)
    expect(l.weights.map((w) => [w.name.replace(/_\d+$/, ''), w.shape])).toEqual([
      ['lstm/lstm_cell/kernel', [4, 8]],
      ['lstm/lstm_cell/recurrent_kernel', [2, 8]],
      ['lstm/lstm_cell/bias', [8]],
    ]);
    expect(Array.from(l.weights[2].dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const c = l.getConfig();
    expect(c).toMatchObject({ units: 2, activation: 'tanh', recurrentActivation: 'sigmoid', unitForgetBias: true, returnSequences: false, dropout: 0, seed: null });
    expect(c.recurrentInitializer).toMatchObject({ className: 'Orthogonal' });
    expect(c).not.toHaveProperty('cell');
    const g = GRU(2);
    g.build([null, 3, 4]);
    expect(g.weights[2].shape).toEqual([2, 6]);
    expect(g.getConfig()).toMatchObject({ resetAfter: true, recurrentActivation: 'sigmoid' });
    expect(SimpleRNN(2).name).toBe('simple_rnn');
    for (const layer of [l, g, SimpleRNN(3, { returnSequences: true, goBackwards: true, stateful: true }), RNN([LSTMCell(2), GRUCell(3)]), Bidirectional(LSTM(2))]) {
      const s = JSON.parse(JSON.stringify(serializeLayer(layer)));
      expect(serializeLayer(deserializeLayer(s))).toEqual(s);
    }
    l.dispose();
    g.dispose();
    expect(DenseLayer.className).toBe('Dense');
  });
});
