import { labelPair, type LabelsLike } from './labels';
import { prfs, type PrfsResult, type ScoreOptions } from './precision-recall-fscore';

/** Options with a per-class result (`average: null`). */
export type PerClassOptions = ScoreOptions & { average: null };
/** Options with one averaged number. */
export type AveragedOptions = ScoreOptions & { average?: 'binary' | 'micro' | 'macro' | 'weighted' };

/**
 * Precision, recall, F-beta and support per class, as scikit-learn's
 * `precision_recall_fscore_support` (average `null` by default, `beta` 1).
 * `precisionRecallFscoreSupport([0, 1, 2, 2], [0, 2, 2, 1])` → `{ precision: [1, 0, 0.5], ... }`.
 */
export function precisionRecallFscoreSupport(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options?: ScoreOptions & { average?: null; beta?: number },
): PrfsResult<number[]>;
export function precisionRecallFscoreSupport(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: AveragedOptions & { beta?: number },
): PrfsResult<number>;
export function precisionRecallFscoreSupport(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: ScoreOptions & { beta?: number } = {},
): PrfsResult<number | number[]> {
  return prfs('precisionRecallFscoreSupport', yTrue, yPred, options);
}

/** Precision `tp / (tp + fp)` as scikit-learn's `precision_score` (average `'binary'` by default, posLabel 1). */
export function precisionScore(yTrue: LabelsLike, yPred: LabelsLike, options: PerClassOptions): number[];
export function precisionScore(yTrue: LabelsLike, yPred: LabelsLike, options?: AveragedOptions): number;
export function precisionScore(yTrue: LabelsLike, yPred: LabelsLike, options: ScoreOptions = {}): number | number[] {
  const average = options.average === undefined ? 'binary' : options.average;
  return prfs('precisionScore', yTrue, yPred, { ...options, average, warnFor: ['precision'] }).precision;
}

/** Recall `tp / (tp + fn)` as scikit-learn's `recall_score` (average `'binary'` by default, posLabel 1). */
export function recallScore(yTrue: LabelsLike, yPred: LabelsLike, options: PerClassOptions): number[];
export function recallScore(yTrue: LabelsLike, yPred: LabelsLike, options?: AveragedOptions): number;
export function recallScore(yTrue: LabelsLike, yPred: LabelsLike, options: ScoreOptions = {}): number | number[] {
  const average = options.average === undefined ? 'binary' : options.average;
  return prfs('recallScore', yTrue, yPred, { ...options, average, warnFor: ['recall'] }).recall;
}

/** F-beta score as scikit-learn's `fbeta_score` (`beta` required, average `'binary'` by default). */
export function fbetaScore(yTrue: LabelsLike, yPred: LabelsLike, beta: number, options: PerClassOptions): number[];
export function fbetaScore(yTrue: LabelsLike, yPred: LabelsLike, beta: number, options?: AveragedOptions): number;
export function fbetaScore(yTrue: LabelsLike, yPred: LabelsLike, beta: number, options: ScoreOptions = {}): number | number[] {
  const average = options.average === undefined ? 'binary' : options.average;
  return prfs('fbetaScore', yTrue, yPred, { ...options, beta, average, warnFor: ['f-score'] }).fbetaScore;
}

/**
 * F1 score, the harmonic mean of precision and recall, as scikit-learn's `f1_score`
 * (`average: 'macro' | 'micro' | 'weighted' | 'binary'` (default) `| null` for per-class).
 */
export function f1Score(yTrue: LabelsLike, yPred: LabelsLike, options: PerClassOptions): number[];
export function f1Score(yTrue: LabelsLike, yPred: LabelsLike, options?: AveragedOptions): number;
export function f1Score(yTrue: LabelsLike, yPred: LabelsLike, options: ScoreOptions = {}): number | number[] {
  const average = options.average === undefined ? 'binary' : options.average;
  return prfs('f1Score', yTrue, yPred, { ...options, beta: 1, average, warnFor: ['f-score'] }).fbetaScore;
}

/** Fraction (or, with `normalize: false`, count) of exactly matching labels, as scikit-learn's `accuracy_score`. */
export function accuracyScore(yTrue: LabelsLike, yPred: LabelsLike, options: { normalize?: boolean } = {}): number {
  const [t, p] = labelPair('accuracyScore', yTrue, yPred);
  let hits = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hits++;
  return options.normalize === false ? hits : hits / t.length;
}
