export type {
  Loss,
  LossConfig,
  LossFactory,
  LossFunction,
  BaseLossOptions,
  Reduction,
  ReductionName,
  ConfigValue,
} from './types';
export { EPSILON } from './epsilon';
export { meanSquaredError, MeanSquaredError } from './mean-squared-error';
export { meanAbsoluteError, MeanAbsoluteError } from './mean-absolute-error';
export { meanAbsolutePercentageError, MeanAbsolutePercentageError } from './mean-absolute-percentage-error';
export { meanSquaredLogarithmicError, MeanSquaredLogarithmicError } from './mean-squared-logarithmic-error';
export { logCosh, LogCosh } from './log-cosh';
export { huber, Huber, type HuberOptions } from './huber';
export { binaryCrossentropy, BinaryCrossentropy, type BinaryCrossentropyOptions } from './binary-crossentropy';
export {
  categoricalCrossentropy,
  CategoricalCrossentropy,
  type CategoricalCrossentropyOptions,
} from './categorical-crossentropy';
export {
  sparseCategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  type SparseCategoricalCrossentropyOptions,
} from './sparse-categorical-crossentropy';
export { softmaxCrossEntropyFromLogits } from './softmax-cross-entropy';
export { hinge, Hinge, squaredHinge, SquaredHinge, categoricalHinge, CategoricalHinge } from './hinge';
export { klDivergence, KLDivergence } from './kl-divergence';
export { poisson, Poisson } from './poisson';
export { LossFunctionWrapper } from './wrapper';
export { get, serialize, registry, registerLoss, type LossIdentifier } from './registry';
export { resolveLoss, loadLosses, lossesLoaded } from './resolve';
