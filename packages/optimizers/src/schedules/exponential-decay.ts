import type { Config, LearningRateSchedule } from '../types';
import { boolean, knownKeys, nonNegative, positive } from '../validate';
import { makeSchedule } from './make-schedule';

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole periods of `decaySteps` (a staircase) instead of continuously. */
  staircase?: boolean;
}

const KEYS = ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'];

function build(o: ExponentialDecayOptions): LearningRateSchedule {
  const who = 'ExponentialDecay';
  knownKeys(who, o, KEYS);
  const initial = nonNegative(who, 'initialLearningRate', o.initialLearningRate);
  const decaySteps = positive(who, 'decaySteps', o.decaySteps);
  const decayRate = positive(who, 'decayRate', o.decayRate);
  const staircase = boolean(who, 'staircase', o.staircase ?? false);
  return makeSchedule(
    who,
    (step) => {
      const p = step / decaySteps;
      return initial * decayRate ** (staircase ? Math.floor(p) : p);
    },
    { initialLearningRate: initial, decaySteps, decayRate, staircase },
  );
}

/**
 * `initialLearningRate * decayRate ^ (step / decaySteps)` (the exponent floored when `staircase`),
 * as `keras.optimizers.schedules.ExponentialDecay`.
 * `SGD(ExponentialDecay(0.1, 1000, 0.96, true))` or `ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 })`.
 */
export function ExponentialDecay(
  initialLearningRate: number | ExponentialDecayOptions,
  decaySteps?: number,
  decayRate?: number,
  staircase = false,
): LearningRateSchedule {
  if (typeof initialLearningRate === 'object' && initialLearningRate !== null) return build(initialLearningRate);
  return build({ initialLearningRate, decaySteps: decaySteps as number, decayRate: decayRate as number, staircase });
}
ExponentialDecay.className = 'ExponentialDecay';
/** The schedule a `getConfig()` result describes. */
ExponentialDecay.fromConfig = (config: Config): LearningRateSchedule => {
  const { name: _name, ...rest } = config;
  return build(rest as unknown as ExponentialDecayOptions);
};
