import { deserializeSchedule } from './schedules/registry';
import type { Config, Serialized } from './types';

/** A config whose `learningRate` may be a serialized schedule, with the schedule restored. */
export function fromConfigWithSchedule(config: Config): Config {
  const lr = config.learningRate;
  if (lr !== null && typeof lr === 'object' && typeof (lr as Serialized).className === 'string') {
    return { ...config, learningRate: deserializeSchedule(lr as Serialized) };
  }
  return { ...config };
}
