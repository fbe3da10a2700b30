import { createRegistry, describeValue, type Registry, type RegisterOptions } from '@neurona/common';
import type { Config, LearningRateSchedule, Serialized } from '../types';
import { CosineDecay } from './cosine-decay';
import { ExponentialDecay } from './exponential-decay';
import { PiecewiseConstant } from './piecewise-constant';
import { isSchedule, serializeSchedule, setScheduleDeserializer } from './schedule-io';

export { isSchedule, serializeSchedule };

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

/** The schedule a `serializeSchedule` result describes. */
export function deserializeSchedule(s: Serialized): LearningRateSchedule {
  return scheduleRegistry.require(s.className)(s.config ?? {});
}

// optimizers' fromConfig restores serialized schedules through this registry once it is loaded
setScheduleDeserializer(deserializeSchedule);
