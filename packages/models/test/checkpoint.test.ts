import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispose, randomNormal, setSeed, oneHot, argMax, matMul, tidy } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, resetNames } from '@neurona/layers';
import { Adam, ExponentialDecay, RMSprop, SGD } from '@neurona/optimizers';
import type { Optimizer } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import type { LayersModel } from '../src/model';
import { loadModel, loadWeights, saveModel } from '../src/io';
import { ModelCheckpoint, formatCheckpointPath } from '../src/callbacks/model-checkpoint';
import { maxAbsDiff, tempDir } from './io-helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  resetNames();
  tmp = tempDir('neurona-ckpt-');
});
afterEach(() => tmp.cleanup());

function data(n: number, seed: number): { x: Tensor; y: Tensor } {
  setSeed(seed);
  return tidy(() => {
    const x = randomNormal([n, 6]);
    const teacher = randomNormal([6, 3]);
    return { x, y: oneHot(argMax(matMul(x, teacher), 1), 3).toFloat() };
  });
}

function model(optimizer: () => Optimizer): LayersModel {
  setSeed(11);
  const m = Sequential([Dense(8, { inputShape: [6], activation: 'relu' }), Dense(3, { activation: 'softmax' })]);
  m.compile({ loss: 'categorical_crossentropy', optimizer: optimizer(), metrics: ['accuracy'] });
  return m;
}

function maxWeightDiff(a: LayersModel, b: LayersModel): number {
  const wa = a.getWeights();
  const wb = b.getWeights();
  const d = Math.max(...wa.map((t, i) => maxAbsDiff(t, wb[i])));
  dispose([...wa, ...wb]);
  return d;
}

describe('a loaded model continues training exactly as the original', () => {
  const optimizers: [string, () => Optimizer][] = [
    ['Adam', () => Adam(0.01)],
    ['SGD with Nesterov momentum', () => SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
    ['RMSprop (centered, momentum)', () => RMSprop({ learningRate: 0.005, momentum: 0.5, centered: true })],
    ['Adam on an ExponentialDecay schedule', () => Adam({ learningRate: ExponentialDecay({ initialLearningRate: 0.02, decaySteps: 3, decayRate: 0.5 }) })],
  ];
  for (const [label, opt] of optimizers) {
    it(`${label}: N steps, save, load, M steps == N + M steps (1e-6)`, async () => {
      const { x, y } = data(32, 7);
      const fitOpts = { batchSize: 8, shuffle: false, verbose: 0 } as const;
      const straight = model(opt);
      await straight.fit(x, y, { ...fitOpts, epochs: 5 });
      const first = model(opt);
      await first.fit(x, y, { ...fitOpts, epochs: 2 });
      await saveModel(first, join(tmp.dir, 'half'));
      const resumed = await loadModel(join(tmp.dir, 'half'));
      expect(resumed.optimizer?.iterations).toBe(8);
      const h = await resumed.fit(x, y, { ...fitOpts, epochs: 5, initialEpoch: 2 });
      expect(h.history.loss.length).toBe(3);
      expect(resumed.optimizer?.iterations).toBe(straight.optimizer?.iterations);
      expect(maxWeightDiff(resumed, straight)).toBeLessThan(1e-6);
      dispose([x, y]);
      for (const m of [straight, first, resumed]) m.dispose();
    });
  }
});

describe('ModelCheckpoint', () => {
  it('fills {epoch} and log keys with Python-style formats', () => {
    expect(formatCheckpointPath('ckpt/epoch-{epoch:02d}-{val_loss:.3f}', { epoch: 3, val_loss: 0.12345 })).toBe('ckpt/epoch-03-0.123');
    expect(formatCheckpointPath('m-{epoch}', { epoch: 12 })).toBe('m-12');
    expect(() => formatCheckpointPath('m-{val_acc}', { epoch: 1, loss: 2 })).toThrow(/\{val_acc\}.*not in the logs; available: epoch, loss/);
    expect(() => formatCheckpointPath('m-{epoch:x}', { epoch: 1 })).toThrow(/unsupported format/);
  });

  it('rejects invalid options with expected and found', () => {
    expect(() => ModelCheckpoint('')).toThrow(/filepath must be a non-empty string/);
    expect(() => ModelCheckpoint('x', { saveFreq: 0 })).toThrow(/saveFreq .* must be an integer >= 1, got 0/);
    expect(() => ModelCheckpoint('x', { mode: 'up' as never })).toThrow(/mode must be 'auto', 'min' or 'max', got "up"/);
    expect(() => ModelCheckpoint('x', { savebestonly: true } as never)).toThrow(/unknown option "savebestonly"/);
  });

  it('saves every epoch into a templated path', async () => {
    const { x, y } = data(40, 1);
    const m = model(() => Adam(0.01));
    const cb = ModelCheckpoint(join(tmp.dir, 'epoch-{epoch:02d}-{val_loss:.4f}'));
    const h = await m.fit(x, y, { epochs: 3, batchSize: 10, verbose: 0, validationSplit: 0.25, callbacks: [cb] });
    const names = readdirSync(tmp.dir).sort();
    expect(names).toEqual(h.history.val_loss.map((v, i) => `epoch-0${i + 1}-${v.toFixed(4)}`));
    dispose([x, y]);
    m.dispose();
  });

  it('saveBestOnly keeps the model of the best epoch', async () => {
    const { x, y } = data(40, 2);
    const m = model(() => SGD(0.5));
    const cb = ModelCheckpoint(join(tmp.dir, 'best'), { monitor: 'val_loss', saveBestOnly: true });
    const { x: xv, y: yv } = data(20, 3);
    const h = await m.fit(x, y, { epochs: 6, batchSize: 8, verbose: 0, validationData: [xv, yv], callbacks: [cb] });
    const best = Math.min(...h.history.val_loss);
    expect(cb.best).toBe(best);
    const loaded = await loadModel(join(tmp.dir, 'best'));
    const r = (await loaded.evaluate(xv, yv, { batchSize: 8, returnDict: true })) as Record<string, number>;
    expect(Math.abs(r.loss - best)).toBeLessThan(1e-5);
    dispose([x, y, xv, yv]);
    m.dispose();
    loaded.dispose();
  });

  it('saveWeightsOnly writes weights that loadWeights reads', async () => {
    const { x, y } = data(16, 4);
    const m = model(() => Adam(0.01));
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [ModelCheckpoint(join(tmp.dir, 'w'), { saveWeightsOnly: true })] });
    expect(existsSync(join(tmp.dir, 'w', 'optimizer-shard1of1.bin'))).toBe(false);
    const other = model(() => Adam(0.01));
    await loadWeights(other, join(tmp.dir, 'w'));
    expect(maxWeightDiff(m, other)).toBe(0);
    dispose([x, y]);
    m.dispose();
    other.dispose();
  });

  it('resuming fit with initialEpoch from the last checkpoint matches an uninterrupted run', async () => {
    const { x, y } = data(24, 5);
    const opts = { batchSize: 6, shuffle: false, verbose: 0 } as const;
    const straight = model(() => Adam(0.02));
    const hs = await straight.fit(x, y, { ...opts, epochs: 5 });
    const interrupted = model(() => Adam(0.02));
    await interrupted.fit(x, y, { ...opts, epochs: 3, callbacks: [ModelCheckpoint(join(tmp.dir, 'last'))] });
    const resumed = await loadModel(join(tmp.dir, 'last'));
    const hr = await resumed.fit(x, y, { ...opts, epochs: 5, initialEpoch: 3 });
    expect(hr.history.loss.length).toBe(2);
    hr.history.loss.forEach((v, i) => expect(Math.abs(v - hs.history.loss[3 + i])).toBeLessThan(1e-6));
    expect(maxWeightDiff(resumed, straight)).toBeLessThan(1e-6);
    dispose([x, y]);
    for (const m of [straight, interrupted, resumed]) m.dispose();
  });

  it('saveFreq in batches saves during the epoch', async () => {
    const { x, y } = data(32, 6);
    const m = model(() => Adam(0.01));
    const cb = ModelCheckpoint(join(tmp.dir, 'b-{epoch}-{batch}'), { saveFreq: 2 });
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [cb] });
    expect(readdirSync(tmp.dir).sort()).toEqual(['b-1-2', 'b-1-4']);
    dispose([x, y]);
    m.dispose();
  });
});
