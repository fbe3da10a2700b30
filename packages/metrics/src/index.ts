export type { Metric, MetricConfig, MetricFactory, MetricFunction, ConfigValue } from './types';
export { binaryAccuracy, BinaryAccuracy, type BinaryAccuracyOptions } from './binary-accuracy';
export { categoricalAccuracy, CategoricalAccuracy } from './categorical-accuracy';
export { sparseCategoricalAccuracy, SparseCategoricalAccuracy } from './sparse-categorical-accuracy';
export {
  topKCategoricalAccuracy,
  TopKCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  type TopKOptions,
} from './top-k-accuracy';
export { precision, Precision, type ThresholdMetricOptions } from './precision';
export { recall, Recall } from './recall';
export { fbetaScore, F1Score, FBetaScore, type FScoreOptions, type FScoreAverage } from './f1-score-metric';
export {
  meanSquaredError,
  MeanSquaredError,
  meanAbsoluteError,
  MeanAbsoluteError,
  meanAbsolutePercentageError,
  MeanAbsolutePercentageError,
  meanSquaredLogarithmicError,
  MeanSquaredLogarithmicError,
} from './error-metrics';
export { MeanMetricWrapper } from './wrapper';
export { get, serialize, registry, registerMetric, type MetricIdentifier, type MetricContext } from './registry';
export { historyToSvg, type HistoryLike, type HistorySvgOptions } from './history-svg';
