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
export { batchPrecision, Precision, type ThresholdMetricOptions } from './precision';
export { batchRecall, Recall } from './recall';
export { batchFbetaScore, F1Score, FBetaScore, type FScoreOptions, type FScoreAverage } from './f1-score-metric';
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
export { type Label, type LabelsLike } from './labels';
export {
  type Average,
  type ZeroDivision,
  type ScoreOptions,
  type PrfsResult,
} from './precision-recall-fscore';
export {
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
  f1Score,
  fbetaScore,
  accuracyScore,
  type PerClassOptions,
  type AveragedOptions,
} from './scores';
export { confusionMatrix, type ConfusionMatrixOptions } from './confusion-matrix';
export {
  classificationReport,
  type ClassificationReportOptions,
  type ClassificationReportDict,
  type ReportRow,
} from './classification-report';
export { historyToSvg, type HistoryLike, type HistorySvgOptions } from './history-svg';
