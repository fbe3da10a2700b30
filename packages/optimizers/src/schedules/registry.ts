import type { Config, LearningRateSchedule, Serialized } from '../types';
import { CosineDecay } from './cosine-decay';
import { ExponentialDecay } from './exponential-decay';
import { PiecewiseConstant } from './piecewise-constant';

/** className → schedule-from-config, for loading optimizers whose learning rate is a schedule. */
export const scheduleRegistry = new Map<string, (config: Config) => LearningRateSchedule>([
  ['ExponentialDecay', ExponentialDecay.fromConfig],
  ['CosineDecay', CosineDecay.fromConfig],
  ['PiecewiseConstant', PiecewiseConstant.fromConfig],
  // Keras's own class name for it
  ['PiecewiseConstantDecay', PiecewiseConstant.fromConfig],
]);

/** Make a contributed schedule loadable: `registerLearningRateSchedule('MyDecay', (c) => MyDecay(c))`. */
export function registerLearningRateSchedule(className: string, fromConfig: (config: Config) => LearningRateSchedule): void {
  scheduleRegistry.set(className, fromConfig);
}

/** True for a function carrying a schedule's className and getConfig. */
export function isSchedule(x: unknown): x is LearningRateSchedule {
  return (
    typeof x === 'function' &&
    typeof (x as Partial<LearningRateSchedule>).className === 'string' &&
    typeof (x as Partial<LearningRateSchedule>).getConfig === 'function'
  );
}

/** `{ className, config }` of a schedule. */
export function serializeSchedule(schedule: LearningRateSchedule): Serialized {
  return { className: schedule.className, config: schedule.getConfig() };
}

/** The schedule a `serializeSchedule` result describes. */
export function deserializeSchedule(s: Serialized): LearningRateSchedule {
  const fromConfig = scheduleRegistry.get(s.className);
  if (!fromConfig) {
    throw new Error(
      `Unknown learning rate schedule "${s.className}". Known learning rate schedules: ${[...scheduleRegistry.keys()].join(', ')}`,
    );
  }
  return fromConfig(s.config ?? {});
}
