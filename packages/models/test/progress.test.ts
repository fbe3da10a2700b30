import { describe, expect, it } from 'vitest';
import { Dense } from '@neurona/layers';
import { Sequential } from '../src/sequential';
import { ProgbarLogger } from '../src/callbacks/progbar-logger';
import { formatBar, formatEta, formatProgressBar, formatEpochLine, formatTimePerStep, formatValue } from '../src/progbar';
import { memoryWriter } from '../src/writer';
import { linearData } from './helpers';

function model() {
  const m = Sequential([Dense(1, { inputShape: [3] })]);
  m.compile({ loss: 'mse', optimizer: 'sgd', metrics: ['mae'] });
  return m;
}

/** A clock advancing `stepMs` each time it is read. */
function clock(stepMs: number) {
  let t = 0;
  return () => (t += stepMs);
}

describe('progress formatting', () => {
  it('formats values, bars, times and ETAs as Keras', () => {
    expect(formatValue(0.31)).toBe('0.3100');
    expect(formatValue(1.23456e-5)).toBe('1.2346e-05');
    expect(formatValue(NaN)).toBe('nan');
    expect(formatBar(469, 469)).toBe(`[${'='.repeat(30)}]`);
    expect(formatBar(123, 469)).toBe(`[${'='.repeat(6)}>${'.'.repeat(23)}]`);
    expect(formatBar(0, 469)).toBe(`[${'.'.repeat(30)}]`);
    expect(formatTimePerStep(0.004)).toBe('4ms/step');
    expect(formatTimePerStep(2.2)).toBe('2s/step');
    expect(formatTimePerStep(0.0004)).toBe('400us/step');
    expect(formatEta(45)).toBe('45s');
    expect(formatEta(125)).toBe('2:05');
    expect(formatEta(3725)).toBe('1:02:05');
    const values = [['loss', 0.31], ['accuracy', 0.91], ['val_loss', 0.35], ['val_accuracy', 0.9]] as const;
    expect(formatProgressBar({ current: 469, target: 469, elapsed: 1.9, values })).toBe(
      '469/469 [==============================] 2s 4ms/step - loss: 0.3100 - accuracy: 0.9100 - val_loss: 0.3500 - val_accuracy: 0.9000',
    );
    expect(formatProgressBar({ current: 9, target: 469, elapsed: 0.09, values: values.slice(0, 1) })).toBe(
      '  9/469 [..............................] ETA: 5s - loss: 0.3100',
    );
    expect(formatEpochLine({ current: 469, target: 469, elapsed: 1.9, values: values.slice(0, 2) })).toBe(
      '469/469 - 2s - 4ms/step - loss: 0.3100 - accuracy: 0.9100',
    );
  });
});

describe('progress output of fit', () => {
  it('verbose 1 without a TTY prints one line per epoch', async () => {
    const { x, y } = linearData(40);
    const out = memoryWriter(false);
    await model().fit(x, y, { epochs: 2, batchSize: 10, writer: out, validationSplit: 0.25, advice: false });
    // the first fit of a model says which training step it runs (compiled or tape), one line
    expect(out.lines().filter((l) => l.startsWith('fit: '))).toHaveLength(1);
    const lines = out.lines().filter((l) => !l.startsWith('fit: '));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(/^3\/3 \[={30}\] \d+s \d+(ms|us|s)\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4} - val_loss: \d+\.\d{4} - val_mae: \d+\.\d{4}$/);
    expect(lines[2]).toBe('Epoch 2/2');
    expect(out.text()).not.toContain('\r');
  });

  it('verbose 1 on a TTY redraws the bar in place with \\r, at most every interval', async () => {
    const { x, y } = linearData(100);
    const out = memoryWriter(true);
    // each clock read advances 40 ms: with a 100 ms interval some batches redraw and some do not
    const bar = ProgbarLogger({ writer: out, intervalMs: 100, now: clock(40) });
    await model().fit(x, y, { epochs: 1, batchSize: 5, callbacks: [bar], advice: false });
    const text = out.text();
    expect(text.startsWith('Epoch 1/1\n')).toBe(true);
    const draws = text.split('\r').slice(1);
    expect(draws.length).toBeGreaterThan(1);
    expect(draws.length).toBeLessThan(20);
    expect(draws[0]).toMatch(/^ ?\d+\/20 \[=*>?\.*\] ETA: \d+s - loss: \d+\.\d{4} - mae: \d+\.\d{4}/);
    expect(draws[draws.length - 1]).toMatch(/^20\/20 \[={30}\] \d+s \d+ms\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4}\s*\n$/);
  });

  it('verbose 2 prints one short line per epoch; verbose 0 prints nothing', async () => {
    const { x, y } = linearData(20);
    const out = memoryWriter(true);
    await model().fit(x, y, { epochs: 2, batchSize: 10, verbose: 2, writer: out, advice: false });
    const progress = out.lines().filter((l) => !l.startsWith('fit: '));
    expect(progress).toHaveLength(4);
    expect(progress[1]).toMatch(/^2\/2 - \d+s - \d+(ms|us|s)\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4}$/);
    expect(out.text()).not.toContain('\r');
    const quiet = memoryWriter(true);
    await model().fit(x, y, { epochs: 2, verbose: 0, writer: quiet });
    expect(quiet.text()).toBe('');
  });

  it('prints the advisor findings once per model when verbose', async () => {
    const { x, y } = linearData(24);
    const m = model();
    const out = memoryWriter();
    await m.fit(x, y, { epochs: 1, batchSize: 12, writer: out });
    const advice = out.lines().filter((l) => l.startsWith('['));
    expect(advice).toEqual([
      expect.stringMatching(/^\[info\] You chose batch size 12 but kept SGD's default learning rate 0\.01/),
      expect.stringMatching(/^\[info\] Batch size 12 is not a power of two; powers of two \(8, 16\)/),
    ]);
    expect(out.lines().filter((l) => !l.startsWith('fit: '))[2]).toBe('Epoch 1/1');
    const again = memoryWriter();
    await m.fit(x, y, { epochs: 1, batchSize: 12, writer: again });
    expect(again.text()).not.toContain('[info]');
  });

  it('evaluate with verbose 1 prints one result line', async () => {
    const { x, y } = linearData(64);
    const m = model();
    const out = memoryWriter();
    const r = (await m.evaluate(x, y, { verbose: 1, writer: out })) as number[];
    expect(r).toHaveLength(2);
    expect(out.lines()[0]).toMatch(/^2\/2 \[={30}\] \d+s \d+(ms|us|s)\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4}$/);
  });
});
