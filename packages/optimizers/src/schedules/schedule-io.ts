// What every optimizer needs of schedules without the schedule registry: telling a schedule apart,
// writing it, and reading one back through the registry once something has loaded it. The registry
// (schedules/registry.ts) holds every built-in schedule; only code that restores schedules by name
// (deserializeSchedule, get, deserialize, model loading) imports it, so a bundle that builds its
// optimizer directly (`Adam(0.001)`) ships no schedule code.
import type { LearningRateSchedule, Serialized } from '../types';

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

type Deserializer = (s: Serialized) => LearningRateSchedule;

let registryDeserializer: Deserializer | null = null;

/** @internal set by schedules/registry.ts when it loads (in Node: on importing the package). */
export function setScheduleDeserializer(f: Deserializer): void {
  registryDeserializer = f;
}

/**
 * A serialized schedule restored through the schedule registry, or a clear error when no code in
 * this bundle has loaded the registry (only possible in a bundle: importing the package loads it).
 */
export function deserializeLoadedSchedule(s: Serialized): LearningRateSchedule {
  if (registryDeserializer === null) {
    throw new Error(
      `the learning rate is a serialized schedule ("${s.className}") but this bundle has not loaded the schedule registry: ` +
        `restore the optimizer with get() or deserialize() of @neurona/optimizers (they load every built-in schedule), ` +
        `or pass the schedule itself (${s.className}(...))`,
    );
  }
  return registryDeserializer(s);
}
