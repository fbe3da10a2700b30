import { describe, expect, it } from 'vitest';
import { memory, randomNormal, setSeed, tensor2d } from '@neurona/tensor';
import { Dense } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import { EarlyStopping } from '../src/callbacks/early-stopping';
import { ReduceLROnPlateau } from '../src/callbacks/reduce-lr-on-plateau';
import { LearningRateScheduler } from '../src/callbacks/learning-rate-scheduler';
import { TerminateOnNaN } from '../src/callbacks/terminate-on-nan';
import { CSVLogger } from '../src/callbacks/csv-logger';
import type { CsvSink } from '../src/callbacks/csv-logger';
import { LossWatcher } from '../src/callbacks/loss-watcher';
import type { Callback, CallbackModel, Logs } from '../src/callbacks/types';
import { memoryWriter } from '../src/writer';
import { linearData } from './helpers';

/** A callback that replays a scripted value of `key` at each epoch end, before the one under test. */
function script(key: string, values: number[]): Callback {
  return { onEpochEnd: (e: number, logs: Logs) => void (logs[key] = values[e]) };
}

function regression(lr = 0.05) {
  const model = Sequential([Dense(1, { inputShape: [3] })]);
  model.compile({ loss: 'mse', optimizer: SGD(lr) });
  return model;
}

/** A stand-in model for driving callbacks directly. */
function fakeModel(): CallbackModel & { weights: number; restored: number | null } {
  return {
    name: 'fake',
    stopTraining: false,
    optimizer: { learningRate: 0.1, className: 'SGD' },
    weights: 0,
    restored: null,
    getWeights() {
      return [tensor2d([[this.weights]])];
    },
    setWeights(ws) {
      this.restored = ws[0].dataSync()[0];
    },
  };
}

describe('EarlyStopping', () => {
  it('stops after patience epochs without improvement and restores the best weights', async () => {
    const model = regression();
    const { x, y } = linearData(64);
    const snapshots: number[][] = [];
    const recorder = { onEpochEnd: () => void snapshots.push(Array.from(model.getWeights()[1].dataSync())) };
    // val_loss improves until epoch 2, then worsens
    const es = EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    const H = await model.fit(x, y, {
      epochs: 20,
      verbose: 0,
      validationSplit: 0.25,
      callbacks: [recorder, script('val_loss', [5, 4, 3, 3.5, 3.6, 3.7, 3.8]), es],
    });
    expect(H.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(es.stoppedEpoch).toBe(4);
    expect(es.bestEpoch).toBe(2);
    expect(es.best).toBe(3);
    const bias = Array.from(model.getWeights()[1].dataSync());
    expect(bias).toEqual(snapshots[2]);
    expect(bias).not.toEqual(snapshots[4]);
  });

  it('follows Keras: minDelta, mode max for accuracy, baseline', () => {
    const m = fakeModel();
    const es = EarlyStopping({ monitor: 'accuracy', patience: 1, minDelta: 0.01 });
    expect(es.mode).toBe('max');
    es.setModel(m);
    es.onTrainBegin();
    es.onEpochEnd(0, { accuracy: 0.5 });
    es.onEpochEnd(1, { accuracy: 0.505 }); // within minDelta: no improvement
    expect(m.stopTraining).toBe(true);
    const m2 = fakeModel();
    const withBaseline = EarlyStopping({ monitor: 'loss', patience: 2, baseline: 1 });
    withBaseline.setModel(m2);
    withBaseline.onTrainBegin();
    // as Keras: an improvement that does not beat the baseline does not reset the wait
    for (const [e, v] of [2, 1.9, 1.95].entries()) withBaseline.onEpochEnd(e, { loss: v });
    expect(m2.stopTraining).toBe(true);
    const m3 = fakeModel();
    const without = EarlyStopping({ monitor: 'loss', patience: 2 });
    without.setModel(m3);
    without.onTrainBegin();
    for (const [e, v] of [2, 1.9, 1.95].entries()) without.onEpochEnd(e, { loss: v });
    expect(m3.stopTraining).toBe(false);
    expect(() => EarlyStopping({ patience: -1 })).toThrow(/EarlyStopping: patience must be an integer >= 0, got -1/);
    expect(() => EarlyStopping({ mode: 'up' as never })).toThrow(/mode must be 'auto', 'min' or 'max'/);
  });

  it('keeps no tensors after training', async () => {
    const model = regression();
    const { x, y } = linearData(32);
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    const before = memory().numTensors;
    await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [EarlyStopping({ monitor: 'loss', restoreBestWeights: true })] });
    expect(memory().numTensors).toBe(before);
  });
});

describe('ReduceLROnPlateau', () => {
  it('lowers the learning rate after patience epochs on a plateau, respecting cooldown and minLr', async () => {
    const model = regression(0.1);
    const { x, y } = linearData(32);
    const plateau = ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2, cooldown: 1, minLr: 0.02 });
    const H = await model.fit(x, y, {
      epochs: 9,
      verbose: 0,
      callbacks: [script('loss', [1, 1, 1, 1, 1, 1, 1, 1, 1]), plateau],
    });
    // as Keras, each epoch logs the rate it trained with: reductions at the ends of epochs 2, 4
    // (after one cooldown epoch) and 6 (clamped to minLr); at epoch 8 it is already at minLr
    expect(H.history.learning_rate.map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02]);
    expect(model.optimizer?.learningRate).toBeCloseTo(0.02);
    expect(() => ReduceLROnPlateau({ factor: 1 })).toThrow(/factor must be < 1/);
  });
});

describe('LearningRateScheduler', () => {
  it("sets optimizer.learningRate each epoch from schedule(epoch, lr) and records it", async () => {
    const model = regression(0.1);
    const { x, y } = linearData(32);
    const seen: number[] = [];
    const H = await model.fit(x, y, {
      epochs: 4,
      verbose: 0,
      callbacks: [
        LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr / 2)),
        { onEpochBegin: () => void seen.push(model.optimizer!.learningRate) },
      ],
    });
    expect(seen).toEqual([0.1, 0.1, 0.05, 0.025]);
    expect(H.history.learning_rate).toEqual([0.1, 0.1, 0.05, 0.025]);
    await expect(model.fit(x, y, { verbose: 0, callbacks: [LearningRateScheduler(() => NaN)] })).rejects.toThrow(
      /schedule\(0, 0\.025\) must return a finite number >= 0, got NaN/,
    );
  });
});

describe('TerminateOnNaN', () => {
  it('stops training when the loss becomes NaN', async () => {
    // a huge learning rate on unscaled data diverges to Inf/NaN within a few steps
    setSeed(1);
    const x = randomNormal([256, 3]).mul(1e3);
    const y = randomNormal([256, 1]).mul(1e3);
    const model = regression(10);
    const out = memoryWriter();
    const nan = TerminateOnNaN();
    const H = await model.fit(x, y, { epochs: 50, batchSize: 8, verbose: 0, writer: out, callbacks: [nan] });
    expect(nan.stoppedAt).not.toBeNull();
    expect(H.epoch.length).toBeLessThan(50);
    expect(Number.isFinite(H.history.loss[H.history.loss.length - 1])).toBe(false);
    expect(out.text()).toMatch(/Batch -?\d+: Invalid loss, terminating training/);
  });
});

describe('CSVLogger', () => {
  function sink(existing = '') {
    const file = { text: existing, closed: false };
    const open = (_name: string, append: boolean): CsvSink => {
      if (!append) file.text = '';
      return {
        hasContent: file.text.length > 0,
        write: (t: string) => void (file.text += t),
        close: () => void (file.closed = true),
      };
    };
    return { file, open };
  }

  it('writes epoch then the sorted keys, one row per epoch', async () => {
    const model = regression();
    const { x, y } = linearData(40);
    const { file, open } = sink();
    const H = await model.fit(x, y, { epochs: 3, verbose: 0, validationSplit: 0.25, callbacks: [CSVLogger('log.csv', { open })] });
    const lines = file.text.trim().split('\n');
    expect(lines[0]).toBe('epoch,loss,val_loss');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(`1,${H.history.loss[1]},${H.history.val_loss[1]}`);
    expect(file.closed).toBe(true);
  });

  it('appends without a second header, with a custom separator', async () => {
    const model = regression();
    const { x, y } = linearData(16);
    const { file, open } = sink('epoch;loss\n0;1.5\n');
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [CSVLogger('log.csv', { open, separator: ';', append: true })] });
    const lines = file.text.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith('epoch'))).toHaveLength(1);
    expect(lines[2]).toMatch(/^0;\d/);
  });

  it('writes a real file through node:fs by default', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'csvlogger-')), 'training.csv');
    const model = regression();
    const { x, y } = linearData(16);
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [CSVLogger(path)] });
    const text = readFileSync(path, 'utf8').trim().split('\n');
    expect(text[0]).toBe('epoch,loss');
    expect(text).toHaveLength(3);
  });
});

describe('plain-object callbacks and LossWatcher', () => {
  it('calls every hook in Keras order, awaiting async ones, with per-batch values', async () => {
    const model = regression();
    const { x, y } = linearData(20);
    const calls: string[] = [];
    let batchLoss = 0;
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 10,
      verbose: 0,
      callbacks: [
        {
          onTrainBegin: () => void calls.push('trainBegin'),
          onEpochBegin: (e) => void calls.push(`epochBegin ${e}`),
          onBatchBegin: (b) => void calls.push(`batchBegin ${b}`),
          onBatchEnd: async (b, logs) => {
            await new Promise((r) => setTimeout(r, 1));
            batchLoss = logs.loss;
            calls.push(`batchEnd ${b}`);
          },
          onEpochEnd: (e, logs) => void calls.push(`epochEnd ${e} ${Object.keys(logs).join(',')}`),
          onTrainEnd: () => void calls.push('trainEnd'),
        },
      ],
    });
    expect(calls).toEqual([
      'trainBegin',
      'epochBegin 0', 'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'epochEnd 0 loss',
      'epochBegin 1', 'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'epochEnd 1 loss',
      'trainEnd',
    ]);
    expect(Number.isFinite(batchLoss)).toBe(true);
  });

  it('stopTraining set by a callback ends fit after the current batch', async () => {
    const model = regression();
    const { x, y } = linearData(40);
    let batches = 0;
    const H = await model.fit(x, y, {
      epochs: 5,
      batchSize: 10,
      verbose: 0,
      callbacks: [{ onBatchEnd: (b) => void (batches++, b === 1 && (model.stopTraining = true)) }],
    });
    expect(batches).toBe(2);
    expect(H.epoch).toEqual([0]);
  });

  it('LossWatcher explains a NaN loss and a rising loss', () => {
    const m = fakeModel();
    const w = LossWatcher({ patience: 3, print: false });
    w.setModel(m);
    w.onTrainBegin();
    [1, 0.9, 1.0, 1.1, 1.3].forEach((v, e) => w.onEpochEnd(e, { loss: v }));
    expect(w.findings.map((f) => f.code)).toEqual(['loss-rising']);
    expect(w.findings[0].message).toMatch(/risen for 3 epochs in a row \(0\.9000 → 1\.0000 → 1\.1000 → 1\.3000, \+44\.4%\).*learning rate \(now 0\.1\)/);
    w.onEpochEnd(5, { loss: NaN });
    expect(w.findings[1].code).toBe('loss-nan');
    expect(w.findings[1].message).toMatch(/Epoch 6: the loss became nan\. Try: a lower learning rate \(now 0\.1\).*NaN\/Inf.*clipNorm/);
  });

  it('fit adds a LossWatcher when verbose and prints its advice', async () => {
    setSeed(1);
    const x = randomNormal([64, 3]).mul(1e3);
    const y = randomNormal([64, 1]).mul(1e3);
    const model = regression(10);
    const out = memoryWriter();
    await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 2, writer: out });
    expect(out.text()).toMatch(/\[warning\] Epoch \d: the loss became (nan|inf)/);
    expect(out.text()).toMatch(/\[warning\] Learning rate 10 is above the usual range for SGD \(0\.0001 to 1\)/);
  });
});
