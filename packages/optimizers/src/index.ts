export type {
  Optimizer,
  KerasOptimizer,
  LearningRateSchedule,
  BaseOptimizerOptions,
  OptimizerFromConfig,
  Config,
  Serialized,
} from './types';
export { BaseOptimizer, BASE_OPTION_KEYS } from './base-optimizer';
export { defineOptimizer, type OptimizerFactory } from './define-optimizer';
export { foldOptions } from './options';
export { fromConfigWithSchedule } from './from-config';
/** The option checks the built-ins use, for contributed optimizers: `optionChecks.unitInterval('Lion', 'beta1', v)`. */
export * as optionChecks from './validate';
export { SGD, type SGDOptions, type SGDOptimizer } from './sgd';
export { Adam, type AdamOptions, type AdamOptimizer } from './adam';
export { AdamW, type AdamWOptions } from './adamw';
export { RMSprop, type RMSpropOptions, type RMSpropOptimizer } from './rmsprop';
export { Adagrad, type AdagradOptions, type AdagradOptimizer } from './adagrad';
export { ExponentialDecay, type ExponentialDecayOptions } from './schedules/exponential-decay';
export { CosineDecay, type CosineDecayOptions } from './schedules/cosine-decay';
export { PiecewiseConstant, type PiecewiseConstantOptions } from './schedules/piecewise-constant';
export {
  scheduleRegistry,
  registerLearningRateSchedule,
  serializeSchedule,
  deserializeSchedule,
  isSchedule,
  type ScheduleFromConfig,
} from './schedules/registry';
export {
  get,
  serialize,
  deserialize,
  registry,
  registerOptimizer,
  isOptimizer,
  type OptimizerIdentifier,
} from './registry';
export { resolveOptimizer, loadOptimizers, optimizersLoaded } from './resolve';
