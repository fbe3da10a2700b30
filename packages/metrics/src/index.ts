export type { MetricConfig, MetricFactory, MetricFunction, ConfigValue } from './types';
export { Metric, isMetric, type MetricOptions, type StateInitializer } from './metric';
export { AdditiveMetric, isAdditive } from './additive-metric';
export { Mean, MeanMetric, Sum, SumMetric } from './mean';
export { MeanMetricWrapper, MeanMetricWrapperClass } from './wrapper';
export { CallableMetricAdapter, type CallableMetric } from './legacy';
export { binaryAccuracy, BinaryAccuracy, BinaryAccuracyMetric, type BinaryAccuracyOptions } from './binary-accuracy';
export { categoricalAccuracy, CategoricalAccuracy, CategoricalAccuracyMetric } from './categorical-accuracy';
export {
  sparseCategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseCategoricalAccuracyMetric,
} from './sparse-categorical-accuracy';
export {
  topKCategoricalAccuracy,
  TopKCategoricalAccuracy,
  TopKCategoricalAccuracyMetric,
  sparseTopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracyMetric,
  type TopKOptions,
} from './top-k-accuracy';
export { batchPrecision, Precision, PrecisionMetric, type ThresholdMetricOptions } from './precision';
export { batchRecall, Recall, RecallMetric } from './recall';
export {
  batchFbetaScore,
  F1Score,
  F1ScoreMetric,
  FBetaScore,
  FBetaScoreMetric,
  type FScoreOptions,
  type FScoreAverage,
} from './f1-score-metric';
export { AUC, AUCMetric, type AUCOptions } from './auc';
export type { AUCCurve, AUCSummationMethod } from './auc-area';
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
export { get, serialize, registry, registerMetric, type MetricIdentifier, type MetricContext } from './registry';
export { loadMetrics, resolveMetric, checkMetric, metricsLoaded } from './lazy-registry';
export { type Label, type LabelsLike, type LabelsInput, type Eventually } from './labels';
export {
  type Average,
  type ZeroDivision,
  type ScoreOptions,
  type PrfsResult,
} from './precision-recall-fscore';
export {
  precisionRecallFscoreSupport,
  precisionRecallFscoreSupportAsync,
  precisionScore,
  recallScore,
  f1Score,
  fbetaScore,
  accuracyScore,
  type PerClassOptions,
  type AveragedOptions,
} from './scores';
export { confusionMatrix, confusionMatrixAsync, type ConfusionMatrixOptions } from './confusion-matrix';
export {
  classificationReport,
  classificationReportAsync,
  type ClassificationReportOptions,
  type ClassificationReportDict,
  type ReportRow,
} from './classification-report';
export { historyToSvg, type HistoryLike, type HistorySvgOptions } from './history-svg';
