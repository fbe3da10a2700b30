import { checkOptionTypes } from '@neurona/common';
import { eventually, labelPair, readPairAsync, type Eventually, type LabelsInput, type LabelsLike } from './labels';
import { prfs, type PrfsResult, type ScoreOptions } from './precision-recall-fscore';

// Each score takes labels (tensors, typed arrays, arrays) and returns a number, or promises of
// labels (`yTrue.data()`) and returns a promise: nothing here needs a synchronous read then.

/** Options with a per-class result (`average: null`). */
export type PerClassOptions = ScoreOptions & { average: null };
/** Options with one averaged number. */
export type AveragedOptions = ScoreOptions & { average?: 'binary' | 'micro' | 'macro' | 'weighted' };

type PrfsOptions = ScoreOptions & { beta?: number };

function prfsNow(where: string, yTrue: LabelsLike, yPred: LabelsLike, options: PrfsOptions): PrfsResult<number | number[]> {
  return prfs(where, yTrue, yPred, options);
}

/**
 * Precision, recall, F-beta and support per class, as scikit-learn's
 * `precision_recall_fscore_support` (average `null` by default, `beta` 1).
 * `precisionRecallFscoreSupport([0, 1, 2, 2], [0, 2, 2, 1])` → `{ precision: [1, 0, 0.5], ... }`.
 * Given promises of labels it returns a promise.
 */
export function precisionRecallFscoreSupport<A extends LabelsInput, B extends LabelsInput>(
  yTrue: A,
  yPred: B,
  options?: ScoreOptions & { average?: null; beta?: number },
): Eventually<A, B, PrfsResult<number[]>>;
export function precisionRecallFscoreSupport<A extends LabelsInput, B extends LabelsInput>(
  yTrue: A,
  yPred: B,
  options: AveragedOptions & { beta?: number },
): Eventually<A, B, PrfsResult<number>>;
export function precisionRecallFscoreSupport(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: PrfsOptions = {},
): unknown {
  const where = 'precisionRecallFscoreSupport';
  return eventually(where, yTrue, yPred, (t, p) => prfsNow(where, t, p, options));
}

/**
 * `precisionRecallFscoreSupport` reading tensors with `await tensor.data()`: works on backends
 * without synchronous reads (WebGPU in Node).
 */
export async function precisionRecallFscoreSupportAsync(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options?: ScoreOptions & { average?: null; beta?: number },
): Promise<PrfsResult<number[]>>;
export async function precisionRecallFscoreSupportAsync(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: AveragedOptions & { beta?: number },
): Promise<PrfsResult<number>>;
export async function precisionRecallFscoreSupportAsync(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: PrfsOptions = {},
): Promise<PrfsResult<number | number[]>> {
  const where = 'precisionRecallFscoreSupportAsync';
  const [t, p] = await readPairAsync(where, yTrue, yPred);
  return prfsNow(where, t, p, options);
}

/**
 * Precision `tp / (tp + fp)` as scikit-learn's `precision_score` (average `'binary'` by default,
 * posLabel 1). Given promises of labels it returns a promise.
 */
export function precisionScore<A extends LabelsInput, B extends LabelsInput>(yTrue: A, yPred: B, options: PerClassOptions): Eventually<A, B, number[]>;
export function precisionScore<A extends LabelsInput, B extends LabelsInput>(yTrue: A, yPred: B, options?: AveragedOptions): Eventually<A, B, number>;
export function precisionScore(yTrue: LabelsInput, yPred: LabelsInput, options: ScoreOptions = {}): unknown {
  const average = options.average === undefined ? 'binary' : options.average;
  return eventually('precisionScore', yTrue, yPred, (t, p) =>
    prfs('precisionScore', t, p, { ...options, average, warnFor: ['precision'] }).precision,
  );
}

/**
 * Recall `tp / (tp + fn)` as scikit-learn's `recall_score` (average `'binary'` by default,
 * posLabel 1). Given promises of labels it returns a promise.
 */
export function recallScore<A extends LabelsInput, B extends LabelsInput>(yTrue: A, yPred: B, options: PerClassOptions): Eventually<A, B, number[]>;
export function recallScore<A extends LabelsInput, B extends LabelsInput>(yTrue: A, yPred: B, options?: AveragedOptions): Eventually<A, B, number>;
export function recallScore(yTrue: LabelsInput, yPred: LabelsInput, options: ScoreOptions = {}): unknown {
  const average = options.average === undefined ? 'binary' : options.average;
  return eventually('recallScore', yTrue, yPred, (t, p) => prfs('recallScore', t, p, { ...options, average, warnFor: ['recall'] }).recall);
}

/**
 * F-beta score as scikit-learn's `fbeta_score` (`beta` required, average `'binary'` by default).
 * Given promises of labels it returns a promise.
 */
export function fbetaScore<A extends LabelsInput, B extends LabelsInput>(
  yTrue: A,
  yPred: B,
  beta: number,
  options: PerClassOptions,
): Eventually<A, B, number[]>;
export function fbetaScore<A extends LabelsInput, B extends LabelsInput>(yTrue: A, yPred: B, beta: number, options?: AveragedOptions): Eventually<A, B, number>;
export function fbetaScore(yTrue: LabelsInput, yPred: LabelsInput, beta: number, options: ScoreOptions = {}): unknown {
  const average = options.average === undefined ? 'binary' : options.average;
  return eventually('fbetaScore', yTrue, yPred, (t, p) =>
    prfs('fbetaScore', t, p, { ...options, beta, average, warnFor: ['f-score'] }).fbetaScore,
  );
}

/**
 * F1 score, the harmonic mean of precision and recall, as scikit-learn's `f1_score`
 * (`average: 'macro' | 'micro' | 'weighted' | 'binary'` (default) `| null` for per-class).
 * Given promises of labels it returns a promise.
 */
export function f1Score<A extends LabelsInput, B extends LabelsInput>(yTrue: A, yPred: B, options: PerClassOptions): Eventually<A, B, number[]>;
export function f1Score<A extends LabelsInput, B extends LabelsInput>(yTrue: A, yPred: B, options?: AveragedOptions): Eventually<A, B, number>;
export function f1Score(yTrue: LabelsInput, yPred: LabelsInput, options: ScoreOptions = {}): unknown {
  const average = options.average === undefined ? 'binary' : options.average;
  return eventually('f1Score', yTrue, yPred, (t, p) =>
    prfs('f1Score', t, p, { ...options, beta: 1, average, warnFor: ['f-score'] }).fbetaScore,
  );
}

/**
 * Fraction (or, with `normalize: false`, count) of exactly matching labels, as scikit-learn's
 * `accuracy_score`. Given promises of labels it returns a promise.
 */
export function accuracyScore<A extends LabelsInput, B extends LabelsInput>(
  yTrue: A,
  yPred: B,
  options: { normalize?: boolean } = {},
): Eventually<A, B, number> {
  checkOptionTypes('accuracyScore', options, { normalize: 'boolean' });
  return eventually('accuracyScore', yTrue, yPred, (t0, p0) => {
    const [t, p] = labelPair('accuracyScore', t0, p0);
    let hits = 0;
    for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hits++;
    return options.normalize === false ? hits : hits / t.length;
  }) as Eventually<A, B, number>;
}
