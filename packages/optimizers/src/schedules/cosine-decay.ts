import type { Config, LearningRateSchedule } from '../types';
import { fail, knownKeys, nonNegative, positive } from '../validate';
import { makeSchedule } from './make-schedule';

export interface CosineDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  /** The floor, as a fraction of the rate decayed from (Keras `alpha`, default 0). */
  alpha?: number;
  /** When set, rise linearly from `initialLearningRate` to this over `warmupSteps`, then decay from it. */
  warmupTarget?: number | null;
  warmupSteps?: number;
}

const KEYS = ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps', 'name'];

function build(o: CosineDecayOptions): LearningRateSchedule {
  const who = 'CosineDecay';
  knownKeys(who, o, KEYS);
  const initial = nonNegative(who, 'initialLearningRate', o.initialLearningRate);
  const decaySteps = positive(who, 'decaySteps', o.decaySteps);
  const alpha = o.alpha ?? 0;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) fail(who, 'alpha', 'a number in [0, 1]', alpha);
  const target = o.warmupTarget ?? null;
  if (target !== null) nonNegative(who, 'warmupTarget', target);
  const warmupSteps = nonNegative(who, 'warmupSteps', o.warmupSteps ?? 0);

  const decay = (step: number, from: number) => {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / decaySteps));
    return from * ((1 - alpha) * cosine + alpha);
  };
  // Same branches as Keras: without a warmup target the warmup steps are ignored.
  const rate =
    target === null
      ? (step: number) => decay(Math.min(step, decaySteps), initial)
      : (step: number) => {
          const s = Math.min(step, decaySteps + warmupSteps);
          return s < warmupSteps
            ? (target - initial) * (s / warmupSteps) + initial
            : decay(s - warmupSteps, target);
        };
  return makeSchedule(who, rate, { initialLearningRate: initial, decaySteps, alpha, warmupTarget: target, warmupSteps });
}

/**
 * Cosine decay from the initial rate (or, with warmup, from `warmupTarget`) to `alpha` times it over
 * `decaySteps`, as `keras.optimizers.schedules.CosineDecay`:
 * `rate(s) = from * ((1 - alpha) * 0.5 * (1 + cos(pi * min(s, decaySteps) / decaySteps)) + alpha)`.
 * `CosineDecay(0.1, 1000)`, `CosineDecay(0, 1000, { warmupTarget: 0.1, warmupSteps: 100 })`.
 */
export function CosineDecay(
  initialLearningRate: number | CosineDecayOptions,
  decaySteps?: number,
  options: Omit<CosineDecayOptions, 'initialLearningRate' | 'decaySteps'> = {},
): LearningRateSchedule {
  if (typeof initialLearningRate === 'object' && initialLearningRate !== null) return build(initialLearningRate);
  return build({ ...options, initialLearningRate, decaySteps: decaySteps as number });
}
CosineDecay.className = 'CosineDecay';
/** The schedule a `getConfig()` result describes. */
CosineDecay.fromConfig = (config: Config): LearningRateSchedule => {
  const { name: _name, ...rest } = config;
  return build(rest as unknown as CosineDecayOptions);
};
