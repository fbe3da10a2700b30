import { createRegistry, describeValue, type Registry, type RegisterOptions } from '@neurona/common';
import type { Config, LearningRateSchedule, Serialized } from '../types';
import { CosineDecay } from './cosine-decay';
import { ExponentialDecay } from './exponential-decay';
import { PiecewiseConstant } from './piecewise-constant';

/** Makes a schedule from its config: what `registerLearningRateSchedule` takes. */
export type ScheduleFromConfig = (config: Config) => LearningRateSchedule;

/**
 * Every learning-rate schedule optimizers can load, by Keras class name: the one registry
 * (`@neurona/common`). Add yours with `registerLearningRateSchedule`.
 */
export const scheduleRegistry: Registry<ScheduleFromConfig> = createRegistry<ScheduleFromConfig>('schedules', {
  kind: 'learning rate schedule',
  registerName: 'registerLearningRateSchedule',
});
scheduleRegistry.builtin('ExponentialDecay', ExponentialDecay.fromConfig);
scheduleRegistry.builtin('CosineDecay', CosineDecay.fromConfig);
// Keras's own class name for it resolves too
scheduleRegistry.builtin('PiecewiseConstant', PiecewiseConstant.fromConfig, ['PiecewiseConstantDecay']);

/**
 * Make a contributed schedule loadable, in one call:
 * `registerLearningRateSchedule('MyDecay', (c) => MyDecay(c))`. Keras 3's `package>name` key
 * (package `'Custom'` unless given); a name already taken is an error unless `{ override: true }`.
 */
export function registerLearningRateSchedule(className: string, fromConfig: ScheduleFromConfig, options: RegisterOptions = {}): string {
  if (typeof fromConfig !== 'function') {
    throw new Error(`registerLearningRateSchedule("${String(className)}"): expected a function (config) => schedule, got ${describeValue(fromConfig)}`);
  }
  return scheduleRegistry.register(className, fromConfig, options);
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
  return scheduleRegistry.require(s.className)(s.config ?? {});
}
