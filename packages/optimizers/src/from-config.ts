import { deserializeLoadedSchedule } from './schedules/schedule-io';
import type { Config, Serialized } from './types';

/**
 * A config whose `learningRate` may be a serialized schedule, with the schedule restored through
 * the schedule registry. `get`, `deserialize` and `deserializeSchedule` load that registry; in a
 * bundle that never imports them, `X.fromConfig` given a serialized schedule throws saying so.
 */
export function fromConfigWithSchedule(config: Config): Config {
  const lr = config.learningRate;
  if (lr !== null && typeof lr === 'object' && typeof (lr as Serialized).className === 'string') {
    return { ...config, learningRate: deserializeLoadedSchedule(lr as Serialized) };
  }
  return { ...config };
}
