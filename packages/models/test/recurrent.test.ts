// Recurrent models through the whole API: fit learns a sequence task (padded with masks),
// evaluate/predict, save and load (TensorFlow.js Layers format) give the same predictions, a
// stateful model trains batch after batch, and no tensor is left behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Bidirectional, Dense, Embedding, GRU, Input, LSTM, SimpleRNN, TimeDistributed, resetNames } from '@neurona/layers';
import { Adam } from '@neurona/optimizers';
import { Model, Sequential, loadModel } from '../src/index';

beforeEach(() => resetNames());
const dir = mkdtempSync(join(tmpdir(), 'neurona-rnn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sequences of ids 1..9 padded with 0 at the end; label 1 when the first id is above 5 (the model must carry it across the sequence). */
function task(n: number, steps: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = T.createRng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const len = 2 + Math.floor(rng() * (steps - 1));
    const row = Array.from({ length: steps }, (_, t) => (t < len ? 1 + Math.floor(rng() * 9) : 0));
    x.push(row);
    y.push(row[0] > 5 ? 1 : 0);
  }
  return { x: T.tensor2d(x), y: T.tensor2d(y, [n, 1]) };
}

describe('recurrent models', () => {
  for (const kind of ['LSTM', 'GRU', 'SimpleRNN', 'Bidirectional'] as const) {
    it(`${kind}: fit learns a masked sequence task; save/load gives the same predictions`, async () => {
      T.setSeed(3);
      const rnn = kind === 'LSTM' ? LSTM(16) : kind === 'GRU' ? GRU(16) : kind === 'SimpleRNN' ? SimpleRNN(16) : Bidirectional(LSTM(8));
      const model = Sequential([Embedding(10, 8, { maskZero: true, inputShape: [6] }), rnn, Dense(1, { activation: 'sigmoid' })]);
      model.compile({ loss: 'binary_crossentropy', optimizer: Adam({ learningRate: 0.02 }), metrics: ['accuracy'] });
      const { x, y } = task(256, 6, 1);
      // the first fit makes the optimizer's and metrics' state; later ones add nothing
      await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
      const before = T.memory().numTensors;
      const h = await model.fit(x, y, { epochs: 11, batchSize: 32, verbose: 0 });
      expect(T.memory().numTensors).toBe(before);
      const acc = h.history.accuracy;
      expect(acc[acc.length - 1]).toBeGreaterThan(0.9);
      expect(h.history.loss[h.history.loss.length - 1]).toBeLessThan(h.history.loss[0]);
      const p = model.predict(x);
      await model.save(join(dir, kind));
      const back = await loadModel(join(dir, kind));
      const q = back.predict(x) as Tensor;
      const [a, b] = [p.dataSync(), q.dataSync()];
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 5);
      T.dispose([x, y, p, q]);
      model.dispose();
      back.dispose();
    });
  }

  it('a functional encoder-decoder: the encoder states start the decoder, per-step outputs through TimeDistributed, masked loss', async () => {
    T.setSeed(5);
    const src = Input({ shape: [5] });
    const [, h, c] = LSTM(8, { returnState: true }).apply(Embedding(10, 6, { maskZero: true }).apply(src)) as unknown as ReturnType<typeof Input>[];
    const tgt = Input({ shape: [4, 3] });
    const dec = LSTM(8, { returnSequences: true }).apply(tgt, { initialState: [h, c] });
    const out = TimeDistributed(Dense(2)).apply(dec);
    const model = Model({ inputs: [src, tgt], outputs: out });
    model.compile({ loss: 'mse', optimizer: 'adam' });
    const xs = [T.tensor2d([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0]]), T.randomNormal([2, 4, 3], 0, 1, 'float32', 1)];
    const y = T.randomNormal([2, 4, 2], 0, 1, 'float32', 2);
    await model.fit(xs, y, { epochs: 1, batchSize: 2, verbose: 0 });
    const before = T.memory().numTensors;
    const hist = await model.fit(xs, y, { epochs: 5, batchSize: 2, verbose: 0 });
    expect(T.memory().numTensors).toBe(before);
    expect(hist.history.loss[4]).toBeLessThan(hist.history.loss[0]);
    await model.save(join(dir, 'seq2seq'));
    const back = await loadModel(join(dir, 'seq2seq'));
    const [p, q] = [model.predict(xs) as Tensor, back.predict(xs) as Tensor];
    const [a, b] = [p.dataSync(), q.dataSync()];
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 5);
    T.dispose([...xs, y, p, q]);
    model.dispose();
    back.dispose();
  });

  it('a stateful model carries its states from batch to batch through fit and predict', async () => {
    T.setSeed(7);
    const model = Sequential([LSTM(4, { stateful: true, returnSequences: true, batchInputShape: [2, 3, 1] }), TimeDistributed(Dense(1))]);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const x = T.randomNormal([4, 3, 1], 0, 1, 'float32', 3);
    const lstm = model.layers[0] as ReturnType<typeof LSTM>;
    const p1 = model.predict(x, { batchSize: 2 });
    const p2 = model.predict(x, { batchSize: 2 });
    // the second pass starts from the states the first left
    expect(Array.from(p2.dataSync())).not.toEqual(Array.from(p1.dataSync()));
    lstm.resetStates();
    const p3 = model.predict(x, { batchSize: 2 });
    const [a, c] = [p1.dataSync(), p3.dataSync()];
    for (let i = 0; i < a.length; i++) expect(c[i]).toBeCloseTo(a[i], 6);
    const zeros = T.zeros([4, 3, 1]);
    await model.fit(x, zeros, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 });
    const before = T.memory().numTensors;
    await model.fit(x, zeros, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    expect(T.memory().numTensors).toBe(before);
    T.dispose([x, p1, p2, p3, zeros]);
    model.dispose();
  });
});
