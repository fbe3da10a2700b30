import type { Config, LearningRateSchedule } from '../types';
import { fail, knownKeys } from '../validate';
import { makeSchedule } from './make-schedule';

export interface PiecewiseConstantOptions {
  /** Increasing step numbers where the rate changes. */
  boundaries: number[];
  /** One more value than boundaries: `values[i]` applies while `boundaries[i-1] < step <= boundaries[i]`. */
  values: number[];
}

function build(o: PiecewiseConstantOptions): LearningRateSchedule {
  const who = 'PiecewiseConstant';
  knownKeys(who, o, ['boundaries', 'values', 'name']);
  const { boundaries, values } = o;
  if (!Array.isArray(boundaries) || !boundaries.every((b) => Number.isFinite(b))) {
    fail(who, 'boundaries', 'an array of finite numbers', boundaries);
  }
  for (let i = 1; i < boundaries.length; i++) {
    if (!(boundaries[i] > boundaries[i - 1])) fail(who, 'boundaries', 'strictly increasing', boundaries);
  }
  if (!Array.isArray(values) || !values.every((v) => Number.isFinite(v) && v >= 0)) {
    fail(who, 'values', 'an array of finite numbers >= 0', values);
  }
  if (values.length !== boundaries.length + 1) {
    fail(who, 'values', `one more entry than boundaries (${boundaries.length + 1})`, `${values.length} entries`);
  }
  const b = [...boundaries];
  const v = [...values];
  return makeSchedule(
    who,
    (step) => {
      // Keras: step <= b[0] → v[0]; b[i-1] < step <= b[i] → v[i]; step > b[last] → v[last].
      let i = 0;
      while (i < b.length && step > b[i]) i++;
      return v[i];
    },
    { boundaries: b, values: v },
  );
}

/**
 * A step function of the optimizer step, as `keras.optimizers.schedules.PiecewiseConstantDecay`:
 * `PiecewiseConstant([1000, 2000], [0.1, 0.01, 0.001])`.
 */
export function PiecewiseConstant(
  boundaries: number[] | PiecewiseConstantOptions,
  values?: number[],
): LearningRateSchedule {
  if (!Array.isArray(boundaries) && typeof boundaries === 'object' && boundaries !== null) return build(boundaries);
  return build({ boundaries: boundaries as number[], values: values as number[] });
}
PiecewiseConstant.className = 'PiecewiseConstant';
/** The schedule a `getConfig()` result describes. */
PiecewiseConstant.fromConfig = (config: Config): LearningRateSchedule => {
  const { name: _name, ...rest } = config;
  return build(rest as unknown as PiecewiseConstantOptions);
};
