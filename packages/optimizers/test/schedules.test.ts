import { describe, expect, it } from 'vitest';
import { CosineDecay, ExponentialDecay, PiecewiseConstant, SGD, deserializeSchedule, serializeSchedule } from '../src/index';
import { makeProblem } from './problem';

describe('ExponentialDecay', () => {
  it('continuous: lr0 * rate^(step/decaySteps)', () => {
    const s = ExponentialDecay(0.1, 100, 0.96);
    for (const step of [0, 1, 50, 100, 250, 1000]) expect(s(step)).toBeCloseTo(0.1 * 0.96 ** (step / 100), 14);
  });
  it('staircase: the exponent is floored', () => {
    const s = ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect([0, 9, 10, 19, 20, 35].map(s)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125]);
  });
  it('rejects bad settings, saying what it expected', () => {
    expect(() => ExponentialDecay(-1, 10, 0.5)).toThrow('ExponentialDecay: initialLearningRate must be a finite number >= 0, got -1');
    expect(() => ExponentialDecay(0.1, 0, 0.5)).toThrow('decaySteps must be a finite number > 0, got 0');
    expect(() => ExponentialDecay(0.1, 10, NaN)).toThrow('decayRate must be a finite number > 0, got NaN');
  });
});

// Keras's CosineDecay as a closed form.
const closed = (step: number, lr0: number, T: number, alpha: number) =>
  lr0 * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, T)) / T)) + alpha);

describe('CosineDecay', () => {

  it('decays from lr0 to alpha*lr0 over decaySteps, then stays', () => {
    const s = CosineDecay(0.1, 100, { alpha: 0.1 });
    for (const step of [0, 1, 25, 50, 99, 100, 150]) expect(s(step)).toBeCloseTo(closed(step, 0.1, 100, 0.1), 14);
    expect(s(0)).toBeCloseTo(0.1, 15);
    expect(s(50)).toBeCloseTo(0.1 * (0.9 * 0.5 + 0.1), 15);
    expect(s(1000)).toBeCloseTo(0.01, 15);
  });

  it('warms up linearly to warmupTarget, then decays from it', () => {
    const s = CosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 10 });
    expect(s(0)).toBe(0);
    expect(s(5)).toBeCloseTo(0.05, 15);
    expect(s(10)).toBeCloseTo(0.1, 15);
    expect(s(60)).toBeCloseTo(closed(50, 0.1, 100, 0), 15);
    expect(s(110)).toBeCloseTo(0, 15);
    expect(s(500)).toBeCloseTo(0, 15);
  });

  it('ignores warmupSteps without a warmupTarget, as Keras', () => {
    const s = CosineDecay(0.1, 100, { warmupSteps: 10 });
    expect(s(5)).toBeCloseTo(closed(5, 0.1, 100, 0), 15);
  });

  it('rejects alpha outside [0, 1]', () => {
    expect(() => CosineDecay(0.1, 100, { alpha: 2 })).toThrow('CosineDecay: alpha must be a number in [0, 1], got 2');
  });
});

describe('PiecewiseConstant', () => {
  it('uses values[i] while boundaries[i-1] < step <= boundaries[i]', () => {
    const s = PiecewiseConstant([10, 20], [1, 0.5, 0.1]);
    expect([0, 10, 11, 20, 21, 1000].map(s)).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
  });
  it('rejects a values length that does not fit the boundaries', () => {
    expect(() => PiecewiseConstant([10, 20], [1, 0.5])).toThrow('values must be one more entry than boundaries (3), got "2 entries"');
    expect(() => PiecewiseConstant([20, 10], [1, 0.5, 0.1])).toThrow('boundaries must be strictly increasing');
  });
});

describe('schedules inside optimizers', () => {
  it('learningRate reads the schedule at iterations, and cannot be set', () => {
    const opt = SGD(PiecewiseConstant([1], [0.5, 0.25]));
    const p = makeProblem();
    expect(opt.learningRate).toBe(0.5);
    p.step(opt);
    expect(opt.learningRate).toBe(0.5); // step 1 <= boundary 1
    p.step(opt);
    expect(opt.learningRate).toBe(0.25);
    expect(() => {
      opt.learningRate = 0.1;
    }).toThrow('learningRate comes from the schedule PiecewiseConstant and cannot be set');
    p.dispose();
    opt.dispose();
  });

  it('serialize → deserialize gives the same rates', () => {
    for (const s of [
      ExponentialDecay(0.1, 7, 0.9, true),
      CosineDecay(0.01, 50, { alpha: 0.2, warmupTarget: 0.1, warmupSteps: 5 }),
      PiecewiseConstant([3, 8], [0.3, 0.2, 0.1]),
    ]) {
      const json = JSON.parse(JSON.stringify(serializeSchedule(s)));
      const back = deserializeSchedule(json);
      expect(back.className).toBe(s.className);
      for (let step = 0; step < 70; step += 3) expect(back(step)).toBe(s(step));
    }
  });

  it('an unknown schedule class lists the known ones', () => {
    expect(() => deserializeSchedule({ className: 'Nope', config: {} })).toThrow(
      'Unknown learning rate schedule "Nope". Known learning rate schedules: ExponentialDecay, CosineDecay',
    );
  });
});
