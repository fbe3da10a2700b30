// A model whose input is text: Input({ dtype: 'string' }) → TextVectorization → ... ; fit,
// evaluate and predict take arrays of strings (string tensors stay on the host, batches are
// gathered there), and text given to a numeric input is a clear error.
import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { Dense, Input, TextVectorization } from '@neurona/layers';
import { Adam } from '@neurona/optimizers';
import { Model } from '../src/index';

describe('string inputs', () => {
  it('fit / evaluate / predict on string arrays through TextVectorization (multi_hot)', async () => {
    const before = T.memory().numTensors;
    const texts = ['good film', 'great film', 'bad film', 'awful film', 'good great', 'bad awful', 'great', 'awful'];
    const labels = [[1], [1], [0], [0], [1], [0], [1], [0]];
    const tv = TextVectorization({ outputMode: 'multi_hot' });
    await tv.adapt(texts);
    const inp = Input({ shape: [], dtype: 'string' });
    const out = Dense(1, { activation: 'sigmoid' }).apply(tv.apply(inp));
    const model = Model({ inputs: inp, outputs: out });
    model.compile({ loss: 'binary_crossentropy', optimizer: Adam(0.05), metrics: ['accuracy'] });
    T.setSeed(1);
    const h = await model.fit(texts, labels, { epochs: 60, batchSize: 3, verbose: 0, shuffle: true });
    expect(h.history.loss[59]).toBeLessThan(h.history.loss[0]);
    const p = model.predict(['good great film', 'awful bad film']) as T.Tensor;
    const v = p.dataSync();
    expect(v[0]).toBeGreaterThan(0.5);
    expect(v[1]).toBeLessThan(0.5);
    const ev = await model.evaluate(texts, labels, { verbose: 0 });
    expect((Array.isArray(ev) ? ev : [ev]).every((v) => Number.isFinite(v))).toBe(true);
    T.dispose(p);
    await expect(model.fit([[1, 2]], [[1]], { epochs: 1, verbose: 0 })).rejects.toThrow(/expects strings \(dtype 'string'\)/);
    model.dispose();
    tv.dispose();
    expect(T.memory().numTensors).toBe(before);
  });

  it('text given to a numeric input says what to do', () => {
    const inp = Input({ shape: [2] });
    const model = Model({ inputs: inp, outputs: Dense(1).apply(inp) });
    expect(() => model.predict([['a', 'b']])).toThrow(/holds strings but input "input.*" is float32; give the model Input\(\{ dtype: 'string' \}\)/);
    model.dispose();
  });

  it('gatherRows picks string rows on the host', () => {
    const x = T.tensor([['a', 'b'], ['c', 'd'], ['e', 'f']], [3, 2], 'string');
    const y = T.gatherRows(x, new Int32Array([2, 0]));
    expect(y.arraySync()).toEqual([['e', 'f'], ['a', 'b']]);
    T.dispose([x, y]);
  });
});

describe('a Sequential that starts with a text layer', () => {
  it('makes a string Input from its inputShape and trains on strings', async () => {
    const { Sequential } = await import('../src/index');
    const tv = TextVectorization({ outputMode: 'count', vocabulary: ['yes', 'no'], inputShape: [] });
    const model = Sequential();
    model.add(tv);
    model.add(Dense(1, { activation: 'sigmoid' }));
    model.compile({ loss: 'binary_crossentropy', optimizer: Adam(0.1) });
    const h = await model.fit(['yes yes', 'no', 'yes', 'no no'], [[1], [0], [1], [0]], { epochs: 30, verbose: 0 });
    expect(h.history.loss[29]).toBeLessThan(h.history.loss[0]);
    expect(model.inputs[0].dtype).toBe('string');
    model.dispose();
  });
});
