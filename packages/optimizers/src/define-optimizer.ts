import { foldOptions } from './options';
import { fromConfigWithSchedule } from './from-config';
import type { BaseOptimizerOptions, Config, LearningRateSchedule, Optimizer } from './types';

/**
 * An optimizer factory with Keras's calling forms — `F()`, `F(0.01)`, `F(schedule)`,
 * `F(0.01, { ... })`, `F({ learningRate: 0.01, ... })` — plus `className` and `fromConfig`
 * (which restores a serialized learning-rate schedule), as `defineOptimizer` makes them.
 */
export interface OptimizerFactory<O extends BaseOptimizerOptions, R extends Optimizer> {
  (learningRate?: number | LearningRateSchedule | O, options?: O): R;
  readonly className: string;
  /** The optimizer a `getConfig()` result describes: what `registerOptimizer` takes. */
  fromConfig(config?: Config): R;
}

/**
 * Turn a constructor of options into a Keras-style optimizer factory. A contributed optimizer is
 * then its maths (a `BaseOptimizer` subclass) plus two lines:
 *
 * ```ts
 * export const Lion = defineOptimizer('Lion', (o: LionOptions) => new LionImpl(o));
 * registerOptimizer('Lion', Lion.fromConfig);
 * ```
 */
export function defineOptimizer<O extends BaseOptimizerOptions, R extends Optimizer>(
  className: string,
  make: (options: O) => R,
): OptimizerFactory<O, R> {
  const factory = (learningRate?: number | LearningRateSchedule | O, options?: O): R =>
    make(foldOptions<O>(className, learningRate, options));
  return Object.assign(factory, {
    className,
    fromConfig: (config: Config = {}): R => make(fromConfigWithSchedule(config) as O),
  });
}
