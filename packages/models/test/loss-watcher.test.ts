// LossWatcher speaks only of meaningful rises: not of SGD's jitter, not of a validation loss that
// drifts up a little while the gap to the training loss barely moves.
import { describe, expect, it } from 'vitest';
import { dispose, setSeed } from '@neurona/tensor';
import { Dense } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import { LossWatcher } from '../src/callbacks/loss-watcher';
import type { CallbackModel, Logs } from '../src/callbacks/types';
import { memoryWriter } from '../src/writer';
import { linearData } from './helpers';

const model: CallbackModel = { name: 'fake', stopTraining: false, optimizer: { learningRate: 0.01, className: 'SGD' }, getWeights: () => [], setWeights: () => {} };

/** The codes a watcher reports over these epochs (`loss`, and `val_loss` where given). */
function watch(loss: number[], valLoss?: number[], options: Parameters<typeof LossWatcher>[0] = {}): { codes: string[]; messages: string[] } {
  const w = LossWatcher({ print: false, ...options });
  w.setModel(model);
  w.onTrainBegin();
  loss.forEach((l, e) => {
    const logs: Logs = { loss: l };
    if (valLoss && valLoss[e] !== undefined) logs.val_loss = valLoss[e];
    w.onEpochEnd(e, logs);
  });
  return { codes: w.findings.map((f) => f.code), messages: w.findings.map((f) => f.message) };
}

describe('LossWatcher: noise is not a warning', () => {
  it('SGD jitter of the training loss: rises of 0.1-0.3% (under 1% in all)', () => {
    expect(watch([0.2852, 0.284, 0.2845, 0.2848, 0.2857, 0.285, 0.2849, 0.2857]).codes).toEqual([]);
    // a rise in every epoch, but only 0.6% in all
    expect(watch([0.3, 0.2848, 0.2851, 0.2854, 0.2866]).codes).toEqual([]);
  });

  it('steps below minDelta break the run even when the total is large', () => {
    // +5%, +0.05%, +5%: the middle epoch is flat
    expect(watch([1, 1.05, 1.0505, 1.103]).codes).toEqual([]);
  });

  it("a tiny linear regression's validation loss drifting up (0.3183 → 0.3261 → 0.3263 → 0.3302) while the training loss is flat", () => {
    const train = [0.2851, 0.2848, 0.2857, 0.2849];
    const val = [0.3183, 0.3261, 0.3263, 0.3302];
    expect(watch(train, val).codes).toEqual([]);
    // even with the training loss slowly falling: the gap grows by 4.1% of the validation loss
    expect(watch([0.2856, 0.2852, 0.285, 0.2845], val).codes).toEqual([]);
  });

  it('the gap growing in fits and starts is not a trend', () => {
    const train = [0.5, 0.4, 0.35, 0.3, 0.28];
    const val = [0.52, 0.55, 0.45, 0.56, 0.6];
    expect(watch(train, val).codes).toEqual([]);
  });
});

describe('LossWatcher: real trouble is', () => {
  it('a training loss rising for 3 epochs by more than 1% in all', () => {
    const { codes, messages } = watch([0.5, 0.45, 0.5, 0.62, 0.9]);
    expect(codes).toEqual(['loss-rising']);
    expect(messages[0]).toMatch(/risen for 3 epochs in a row \(0\.4500 → 0\.5000 → 0\.6200 → 0\.9000, \+100\.0%\): the learning rate \(now 0\.01\)/);
    // slow but steady: +1.1% an epoch
    expect(watch([1, 1.011, 1.022, 1.034]).codes).toEqual(['loss-rising']);
    // patience and the thresholds are options
    expect(watch([1, 1.05, 1.1], undefined, { patience: 2 }).codes).toEqual(['loss-rising']);
    expect(watch([0.2848, 0.2851, 0.2854, 0.2857], undefined, { minRise: 0.001 }).codes).toEqual(['loss-rising']);
    expect(watch([1, 1.05, 1.0505, 1.103], undefined, { minDelta: 0 }).codes).toEqual(['loss-rising']);
  });

  it('a NaN loss at once, whatever came before', () => {
    const { codes, messages } = watch([0.3, NaN]);
    expect(codes).toEqual(['loss-nan']);
    expect(messages[0]).toMatch(/^Epoch 2: the loss became nan\. Try: a lower learning rate \(now 0\.01\)/);
    expect(watch([Infinity]).codes).toEqual(['loss-nan']);
  });

  it('overfitting: the validation loss rising while the training loss falls, their gap growing by > 5%', () => {
    const train = [0.4, 0.3, 0.25, 0.21, 0.18];
    const val = [0.35, 0.32, 0.33, 0.35, 0.38];
    const { codes, messages } = watch(train, val);
    expect(codes).toEqual(['overfitting']);
    expect(messages[0]).toMatch(
      /validation loss has risen for 3 epochs \(0\.3200 → 0\.3300 → 0\.3500 → 0\.3800\) while the training loss fell \(0\.3000 → 0\.2500 → 0\.2100 → 0\.1800\); their gap grew by 56\.[23]% of the validation loss: .*EarlyStopping/,
    );
  });

  it('epochs without validation (validationFreq) are skipped, not misaligned', () => {
    const train = [0.4, 0.38, 0.3, 0.28, 0.25, 0.23, 0.21, 0.19];
    const val = [0.35, undefined, 0.33, undefined, 0.36, undefined, 0.4, undefined] as number[];
    // the validation loss every other epoch: the gap grows at each of the 4 validated epochs
    expect(watch(train, val).codes).toEqual(['overfitting']);
  });

  it('invalid thresholds are refused with what was found', () => {
    expect(() => LossWatcher({ minDelta: -1 })).toThrow('LossWatcher: minDelta must be a finite number >= 0, got -1');
    expect(() => LossWatcher({ minRise: NaN })).toThrow('LossWatcher: minRise must be a finite number >= 0, got NaN');
    expect(() => LossWatcher({ minGapGrowth: 'x' as never })).toThrow('LossWatcher: minGapGrowth must be a finite number >= 0, got x');
    expect(() => LossWatcher({ patience: 0 })).toThrow('LossWatcher: patience must be an integer >= 1, got 0');
  });

  it('fit warns of a steadily diverging regression (learning rate too high) and stays quiet on a good one', async () => {
    const { x, y } = linearData(64, 3, 4);
    const run = async (lr: number) => {
      setSeed(1);
      const m = Sequential([Dense(1, { inputShape: [3] })]);
      m.compile({ loss: 'mse', optimizer: SGD(lr) });
      const out = memoryWriter();
      const H = await m.fit(x, y, { epochs: 8, batchSize: 'full', verbose: 2, writer: out, advice: false });
      m.dispose();
      return { text: out.text(), loss: H.history.loss };
    };
    const good = await run(0.1);
    expect(good.text).not.toMatch(/\[(warning|info)\]/);
    const bad = await run(1.2);
    expect(bad.loss.every((l) => Number.isFinite(l))).toBe(true);
    expect(bad.text).toMatch(/\[warning\] The training loss has risen for 3 epochs in a row/);
    dispose([x, y]);
  });
});
