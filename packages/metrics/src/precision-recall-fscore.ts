import { checkOptions } from '@neurona/common';
import { labelPair, uniqueLabels, type Label, type LabelsLike } from './labels';
import { npAverage, npSum } from './python-format';
import { warnOnce } from './warnings';

/** How per-class scores combine, as scikit-learn's `average`: `null` keeps one score per class. */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted' | null;

/** What a division by zero gives: `'warn'` (0 and a warning, the default), 0 or 1. */
export type ZeroDivision = 'warn' | 0 | 1;

/** Options shared by `precisionScore`, `recallScore`, `f1Score`, `fbetaScore` and `precisionRecallFscoreSupport`. */
export interface ScoreOptions {
  /** The classes to score, in this order (default: every class in yTrue or yPred, sorted). */
  labels?: readonly Label[];
  /** The positive class when `average` is `'binary'`; default 1. */
  posLabel?: Label;
  /** Default `'binary'` for the single scores (as scikit-learn), `null` for `precisionRecallFscoreSupport`. */
  average?: Average;
  /** What 0/0 gives; default `'warn'`. */
  zeroDivision?: ZeroDivision;
}

/** Precision, recall, F-beta and support: numbers when averaged, one entry per label when `average` is null. */
export interface PrfsResult<T extends number | number[]> {
  precision: T;
  recall: T;
  fbetaScore: T;
  /** Samples of each label in yTrue; null when averaged (as scikit-learn). */
  support: number[] | null;
  /** The labels, in the order of the per-class arrays. */
  labels: Label[];
}

type WarnFor = readonly ('precision' | 'recall' | 'f-score')[];

interface Internal extends ScoreOptions {
  beta?: number;
  warnFor?: WarnFor;
  seen?: Set<string>;
}

const AVERAGES: readonly Average[] = [null, 'micro', 'macro', 'weighted', 'binary'];

function checkZeroDivision(z: unknown): ZeroDivision {
  if (z === undefined) return 'warn';
  if (z === 'warn' || z === 0 || z === 1) return z;
  throw new Error(`zeroDivision must be one of "warn", 0, 1, got ${JSON.stringify(z)}`);
}

function warnPrf(average: Average, modifier: string, msgStart: string, size: number, seen?: Set<string>): void {
  const where = size === 1 ? 'due to' : 'in labels with';
  warnOnce(
    'UndefinedMetricWarning',
    `${msgStart} ill-defined and being set to 0.0 ${where} no ${modifier} samples. ` +
      'Use `zero_division` parameter to control this behavior.',
    seen,
  );
}

// scikit-learn's _prf_divide: 0/0 becomes 0 (or 1), with a warning naming the metric
function prfDivide(
  num: number[],
  den: number[],
  metric: 'precision' | 'recall',
  modifier: string,
  average: Average,
  warnFor: WarnFor,
  zero: ZeroDivision,
  seen?: Set<string>,
): number[] {
  let any = false;
  const out = num.map((n, i) => {
    if (den[i] === 0) {
      any = true;
      return zero === 1 ? 1 : 0;
    }
    return n / den[i];
  });
  if (!any || zero !== 'warn' || !warnFor.includes(metric)) return out;
  const title = metric[0].toUpperCase() + metric.slice(1);
  const msgStart = warnFor.includes('f-score') ? `${title} and F-score are` : `${title} is`;
  warnPrf(average, modifier, msgStart, out.length, seen);
  return out;
}

/** scikit-learn's precision_recall_fscore_support, with its zero-division rules and warnings. */
export function prfs(
  where: string,
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: Internal,
): PrfsResult<number | number[]> {
  // warnFor and seen are set by the score functions and the report themselves, not by users
  const { warnFor: _warnFor, seen: _seen, ...given } = options;
  checkOptions(where, given, ['labels', 'posLabel', 'average', 'zeroDivision', 'beta']);
  const average = options.average === undefined ? null : options.average;
  if (!AVERAGES.includes(average)) {
    throw new Error(`${where}: average must be one of null, 'micro', 'macro', 'weighted', 'binary', got ${JSON.stringify(average)}`);
  }
  const zero = checkZeroDivision(options.zeroDivision);
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new Error(`${where}: beta must be >= 0, got ${beta}`);
  const warnFor = options.warnFor ?? ['precision', 'recall', 'f-score'];
  const [t, p] = labelPair(where, yTrue, yPred);
  const present = uniqueLabels(where, t, p);
  let labels: Label[] = options.labels === undefined ? present : [...options.labels];
  if (average === 'binary') {
    const pos = options.posLabel ?? 1;
    if (present.length > 2) {
      throw new Error(
        `${where}: target is multiclass but average='binary'. Choose another average: null, 'micro', 'macro' or 'weighted'`,
      );
    }
    if (!present.includes(pos) && present.length >= 2) {
      throw new Error(`${where}: posLabel=${JSON.stringify(pos)} is not a valid label. It should be one of ${JSON.stringify(present)}`);
    }
    labels = [pos];
  }
  if (labels.length === 0) throw new Error(`${where}: labels must name at least one class, got []`);

  // per-label counts: true positives, predicted, true (scikit-learn's multilabel confusion matrix)
  const index = new Map<Label, number>();
  labels.forEach((l, i) => {
    if (!index.has(l)) index.set(l, i);
  });
  const tp = labels.map(() => 0);
  const predSum = labels.map(() => 0);
  const trueSum = labels.map(() => 0);
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]);
    const b = index.get(p[i]);
    if (a !== undefined) trueSum[a]++;
    if (b !== undefined) predSum[b]++;
    if (a !== undefined && t[i] === p[i]) tp[a]++;
  }
  // a label listed twice gets the same counts at both places, as scikit-learn's searchsorted
  labels.forEach((l, i) => {
    const j = index.get(l) as number;
    if (j !== i) {
      tp[i] = tp[j];
      predSum[i] = predSum[j];
      trueSum[i] = trueSum[j];
    }
  });

  let tps = tp;
  let preds = predSum;
  let trues = trueSum;
  if (average === 'micro') {
    tps = [npSum(tp)];
    preds = [npSum(predSum)];
    trues = [npSum(trueSum)];
  }
  const precision = prfDivide(tps, preds, 'precision', 'predicted', average, warnFor, zero, options.seen);
  const recall = prfDivide(tps, trues, 'recall', 'true', average, warnFor, zero, options.seen);
  if (zero === 'warn' && warnFor.length === 1 && warnFor[0] === 'f-score') {
    if (trues.some((v, i) => v === 0 && preds[i] === 0)) warnPrf(average, 'true nor predicted', 'F-score is', trues.length, options.seen);
  }
  const b2 = beta * beta;
  const f = precision.map((pr, i) => {
    if (beta === Infinity) return recall[i];
    let denom = b2 * pr + recall[i];
    if (denom === 0) denom = 1;
    return ((1 + b2) * pr * recall[i]) / denom;
  });

  if (average === null) return { precision, recall, fbetaScore: f, support: trueSum, labels };
  if (average === 'weighted') {
    if (npSum(trues) === 0) {
      const z = zero === 1 ? 1 : 0;
      if (npSum(preds) === 0) return { precision: z, recall: z, fbetaScore: z, support: null, labels };
      return { precision: 0, recall: z, fbetaScore: 0, support: null, labels };
    }
    return {
      precision: npAverage(precision, trues),
      recall: npAverage(recall, trues),
      fbetaScore: npAverage(f, trues),
      support: null,
      labels,
    };
  }
  return { precision: npAverage(precision), recall: npAverage(recall), fbetaScore: npAverage(f), support: null, labels };
}
