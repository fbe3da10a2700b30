import { describe, expect, it } from 'vitest';
import { concat, memory, oneHot, randomNormal, setSeed, sum, tensor1d, tidy } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Concatenate, Dense, Dropout, Flatten, Input } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import { Model } from '../src/functional';
import { syntheticMnist } from './helpers';

function twoInputTwoOutput() {
  const a = Input({ shape: [4], name: 'a' });
  const b = Input({ shape: [3], name: 'b' });
  const ha = Dense(8, { activation: 'relu', name: 'ha' })(a);
  const hb = Dense(8, { activation: 'relu', name: 'hb' })(b);
  const h = Concatenate({ name: 'merge' })([ha, hb]);
  const cls = Dense(3, { activation: 'softmax', name: 'cls' })(h);
  const reg = Dense(1, { name: 'reg' })(h);
  return Model({ inputs: [a, b], outputs: [cls, reg], name: 'two_by_two' });
}

function twoByTwoData(n: number) {
  setSeed(11);
  return tidy(() => {
    const xa = randomNormal([n, 4]);
    const xb = randomNormal([n, 3]);
    const labels = concat([xa, xb], 1).sum(1).greater(0).toInt().add(xa.slice([0, 0], [n, 1]).reshape([n]).greater(1).toInt());
    const yc = oneHot(labels, 3).toFloat();
    const yr = sum(xa, 1, true).sub(sum(xb, 1, true)).mul(0.5);
    return { xa, xb, yc, yr };
  });
}

describe('functional graphs', () => {
  it('a two-input, two-output graph with branches trains, with Keras history keys', async () => {
    const model = twoInputTwoOutput();
    expect(model.inputNames).toEqual(['a', 'b']);
    expect(model.outputNames).toEqual(['cls', 'reg']);
    model.compile({
      loss: ['categorical_crossentropy', 'mse'],
      lossWeights: { cls: 1, reg: 0.5 },
      optimizer: SGD(0.05),
      metrics: { cls: ['accuracy'], reg: ['mae'] },
    });
    const { xa, xb, yc, yr } = twoByTwoData(400);
    const H = await model.fit([xa, xb], [yc, yr], { epochs: 8, batchSize: 32, verbose: 0, validationSplit: 0.2 });
    expect(Object.keys(H.history)).toEqual([
      'loss', 'cls_loss', 'reg_loss', 'cls_accuracy', 'reg_mae',
      'val_loss', 'val_cls_loss', 'val_reg_loss', 'val_cls_accuracy', 'val_reg_mae',
    ]);
    const h = H.history;
    expect(h.loss[7]).toBeLessThan(h.loss[0]);
    expect(h.reg_loss[7]).toBeLessThan(h.reg_loss[0]);
    // total = cls_loss + 0.5 reg_loss (no regularizers)
    for (let e = 0; e < 8; e++) expect(h.loss[e]).toBeCloseTo(h.cls_loss[e] + 0.5 * h.reg_loss[e], 4);
    const [pc, pr] = model.predict({ a: xa, b: xb }) as Tensor[];
    expect(pc.shape).toEqual([400, 3]);
    expect(pr.shape).toEqual([400, 1]);
    const ev = (await model.evaluate([xa, xb], [yc, yr], { returnDict: true })) as Record<string, number>;
    expect(Object.keys(ev)).toEqual(['loss', 'cls_loss', 'reg_loss', 'cls_accuracy', 'reg_mae']);
    expect(model.summary({ printFn: () => {} })).toMatch(/merge \(Concatenate\)\s+\(None, 16\)\s+0\s+\['ha\[0\]\[0\]', 'hb\[0\]\[0\]'\]/);
  });

  it('one loss for every output and metrics for all outputs', async () => {
    const model = twoInputTwoOutput();
    model.compile({ loss: 'mse', optimizer: 'sgd', metrics: ['mae'] });
    const { xa, xb, yc, yr } = twoByTwoData(64);
    const H = await model.fit([xa, xb], [yc, yr], { epochs: 1, verbose: 0 });
    expect(Object.keys(H.history)).toEqual(['loss', 'cls_loss', 'reg_loss', 'cls_mae', 'reg_mae']);
  });

  it('rejects a graph that does not reach its outputs from the inputs', () => {
    const a = Input({ shape: [2] });
    const b = Input({ shape: [2] });
    const out = Dense(1)(Concatenate()([a, b]));
    expect(() => Model({ inputs: a, outputs: out })).toThrow(/Graph disconnected: the outputs depend on input/);
    expect(() => Model({ inputs: Dense(1)(a), outputs: out })).toThrow(/must come straight from Input\(\)/);
    expect(() => Model({ inputs: a, outputs: 3 as never })).toThrow(/outputs must be a symbolic tensor from Input\(\)/);
  });
});

describe('Sequential and Model give the same numbers', () => {
  it('same weights and same batches give identical histories and predictions', async () => {
    const { x, y } = syntheticMnist(300, 9);
    const seq = Sequential();
    seq.add(Flatten({ inputShape: [28, 28] }));
    seq.add(Dense(16, { activation: 'relu' }));
    seq.add(Dense(10, { activation: 'softmax' }));
    const inputs = Input({ shape: [28, 28] });
    let h = Flatten()(inputs);
    h = Dense(16, { activation: 'relu' })(h);
    h = Dense(10, { activation: 'softmax' })(h);
    const fun = Model({ inputs, outputs: h });
    const w = seq.getWeights();
    fun.setWeights(w);
    for (const t of w) t.dispose();
    for (const m of [seq, fun]) m.compile({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.05, momentum: 0.9 }), metrics: ['accuracy'] });
    setSeed(3);
    const H1 = await seq.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0, validationSplit: 0.2 });
    setSeed(3);
    const H2 = await fun.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0, validationSplit: 0.2 });
    expect(H2.history).toEqual(H1.history);
    const p1 = seq.predict(x) as Tensor;
    const p2 = fun.predict(x) as Tensor;
    expect(Array.from(await p2.data())).toEqual(Array.from(await p1.data()));
    expect(await seq.evaluate(x, y)).toEqual(await fun.evaluate(x, y));
  });

  it('the fused softmax + cross-entropy path matches the plain loss', async () => {
    const { x, y } = syntheticMnist(200, 4);
    const make = () => Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })]);
    const fused = make();
    const plain = make();
    const w = fused.getWeights();
    plain.setWeights(w);
    for (const t of w) t.dispose();
    fused.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] });
    // a plain function is not recognised as categorical cross-entropy: the probabilities path
    const { categoricalCrossentropy } = await import('@neurona/losses');
    plain.compile({ loss: (t: Tensor, p: Tensor) => categoricalCrossentropy(t, p), optimizer: SGD(0.1), metrics: ['accuracy'] });
    const H1 = await fused.fit(x, y, { epochs: 3, batchSize: 50, shuffle: false, verbose: 0 });
    const H2 = await plain.fit(x, y, { epochs: 3, batchSize: 50, shuffle: false, verbose: 0 });
    for (let e = 0; e < 3; e++) {
      expect(H1.history.loss[e]).toBeCloseTo(H2.history.loss[e], 4);
      expect(H1.history.accuracy[e]).toBeCloseTo(H2.history.accuracy[e], 6);
    }
  });
});

describe('batch sizes', () => {
  const count = () => {
    const c = { batches: 0, sizes: [] as number[] };
    return { c, cb: { batchLogs: 'refresh' as const, onBatchEnd: (_b: number, logs: Record<string, number>) => void (c.batches++, c.sizes.push(logs.size)) } };
  };

  it("'full' is one step per epoch (gradient descent), 1 is one step per sample (pure SGD)", async () => {
    const x = randomNormal([20, 3]);
    const y = randomNormal([20, 1]);
    const model = Sequential([Dense(1, { inputShape: [3] })]);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const full = count();
    let H = await model.fit(x, y, { epochs: 3, batchSize: 'full', verbose: 0, callbacks: [full.cb] });
    expect(full.c.batches).toBe(3);
    expect(full.c.sizes).toEqual([20, 20, 20]);
    expect(H.params?.steps).toBe(1);
    const one = count();
    H = await model.fit(x, y, { epochs: 2, batchSize: 1, verbose: 0, callbacks: [one.cb] });
    expect(one.c.batches).toBe(40);
    expect(H.params?.steps).toBe(20);
    const mini = count();
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [mini.cb] });
    expect(mini.c.sizes).toEqual([8, 8, 4]);
    expect(model.optimizer?.iterations).toBe(3 + 40 + 3);
  });

  it('full-batch GD equals one trainOnBatch on all the data', async () => {
    setSeed(1);
    const x = randomNormal([16, 3]);
    const y = randomNormal([16, 1]);
    const a = Sequential([Dense(1, { inputShape: [3] })]);
    const b = Sequential([Dense(1, { inputShape: [3] })]);
    const w = a.getWeights();
    b.setWeights(w);
    for (const t of w) t.dispose();
    a.compile({ loss: 'mse', optimizer: SGD(0.1) });
    b.compile({ loss: 'mse', optimizer: SGD(0.1) });
    const H = await a.fit(x, y, { batchSize: 'full', verbose: 0 });
    const loss = await b.trainOnBatch(x, y);
    expect(H.history.loss[0]).toBeCloseTo(loss as number, 6);
    const wa = a.getWeights();
    const wb = b.getWeights();
    expect(Array.from(await wa[0].data())).toEqual(Array.from(await wb[0].data()));
  });
});

describe('data forms', () => {
  it('accepts nested number arrays and int labels with the sparse loss', async () => {
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [0, 1, 1, 0];
    const model = Sequential([Dense(8, { inputShape: [2], activation: 'relu' }), Dense(2, { activation: 'softmax' })]);
    model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 1, verbose: 0 }); // the optimizer makes its state on the first step
    const before = memory().numTensors;
    const H = await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
    expect(Object.keys(H.history)).toEqual(['loss', 'accuracy']);
    expect(memory().numTensors).toBe(before);
    const p = model.predict(x) as Tensor;
    expect(p.shape).toEqual([4, 2]);
    p.dispose();
    expect(() => model.predict([[1, 2], [3]] as never)).toThrow(/rectangular/);
  });

  it('Dropout is active in fit and off in predict', async () => {
    const model = Sequential([Dense(4, { inputShape: [4], kernelInitializer: 'identity' as never, useBias: false }), Dropout(0.5)]);
    const x = tensor1d([1, 2, 3, 4]).reshape([1, 4]);
    const p = model.predict(x) as Tensor;
    expect(Array.from(await p.data())).toEqual([1, 2, 3, 4]);
  });
});
