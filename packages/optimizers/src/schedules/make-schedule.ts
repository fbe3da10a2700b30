import type { Config, LearningRateSchedule } from '../types';

/** Attach Keras identity (className, getConfig) to a step → rate function. */
export function makeSchedule(className: string, rate: (step: number) => number, config: Config): LearningRateSchedule {
  const frozen = { ...config };
  return Object.assign((step: number) => rate(step), {
    className,
    getConfig: () => structuredClone(frozen),
  });
}

