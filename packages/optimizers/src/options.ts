import type { BaseOptimizerOptions, LearningRateSchedule } from './types';

/**
 * The factories' calling forms, `SGD(0.01)`, `SGD(schedule)`, `SGD(0.01, { momentum: 0.9 })` and
 * `SGD({ learningRate: 0.01, momentum: 0.9 })`, folded into one options object.
 */
export function foldOptions<O extends BaseOptimizerOptions>(
  who: string,
  first: number | LearningRateSchedule | O | undefined,
  rest: O | undefined,
): O {
  if (first === undefined || first === null) return { ...rest } as O;
  if (typeof first === 'number' || typeof first === 'function') {
    if (rest && rest.learningRate !== undefined) {
      throw new Error(`${who}: learningRate given twice (as the first argument and in the options)`);
    }
    return { ...rest, learningRate: first } as O;
  }
  if (typeof first === 'object') {
    if (rest !== undefined) {
      throw new Error(`${who}: expected (learningRate, options) or (options), got two option objects`);
    }
    return { ...first };
  }
  throw new Error(`${who}: expected a learning rate, a schedule or an options object, got ${typeof first}`);
}
