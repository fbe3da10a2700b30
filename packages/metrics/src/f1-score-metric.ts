import {
  add,
  cast,
  div,
  divNoNan,
  greater,
  greaterEqual,
  abs,
  logicalAnd,
  max,
  mean,
  mul,
  sub,
  sum,
  tidy,
  type Tensor,
} from '@neurona/tensor';
import type { Metric, MetricConfig } from './types';
import { withIdentity } from './make-metric';
import { fmt, sameShape } from './shapes';
import { checkFinite, checkKeys, checkName } from './validate';

/** Averages of the batch F-score metric (a metric is one number, so no per-class `null`). */
export type FScoreAverage = 'micro' | 'macro' | 'weighted';

/**
 * Batch F-beta score as Keras's `FBetaScore` for one-hot / multi-label `[batch, classes]`: predictions
 * are thresholded (or, without a threshold, the arg-max class is taken), per-class
 * `precision = tp / (tp + fp + 1e-7)` and `recall = tp / (tp + fn + 1e-7)`, then averaged.
 */
export function batchFbetaScore(
  yTrue: Tensor,
  yPred: Tensor,
  options: { average?: FScoreAverage; beta?: number; threshold?: number | null } = {},
): Tensor {
  const average = options.average ?? 'macro';
  const beta = options.beta ?? 1;
  if (yPred.rank !== 2 || !sameShape(yTrue.shape, yPred.shape)) {
    throw new Error(
      `f1_score: expects yTrue and yPred of one shape [batch, classes], got yTrue ${fmt(yTrue.shape)} and yPred ${fmt(yPred.shape)}`,
    );
  }
  return tidy(() => {
    const t = cast(yTrue, 'float32');
    const p0 = cast(yPred, 'float32');
    const thr = options.threshold;
    // without a threshold the top class counts as predicted (ties all count, as Keras)
    const said =
      thr === undefined || thr === null
        ? logicalAnd(greaterEqual(p0, max(p0, -1, true)), greater(abs(p0), 1e-9))
        : greater(p0, thr);
    const p = cast(said, 'float32');
    const axis = average === 'micro' ? undefined : 0;
    const tp = sum(mul(p, t), axis);
    const fp = sum(mul(p, sub(1, t)), axis);
    const fn = sum(mul(sub(1, p), t), axis);
    const prec = div(tp, add(add(tp, fp), 1e-7));
    const rec = div(tp, add(add(tp, fn), 1e-7));
    const b2 = beta * beta;
    const f = mul(divNoNan(mul(prec, rec), add(mul(prec, b2), rec)), 1 + b2);
    if (average === 'weighted') {
      const support = sum(t, 0);
      return sum(mul(f, divNoNan(support, sum(support))));
    }
    return mean(f);
  });
}

/** Options of `F1Score` / `FBetaScore`. */
export interface FScoreOptions {
  /** How per-class scores combine: `'macro'` (default), `'micro'`, `'weighted'` (by support). */
  average?: FScoreAverage;
  /** Predictions above it count as positive; `null` (default) takes the arg-max class. */
  threshold?: number | null;
  name?: string;
}

function build(cls: string, defaultName: string, options: FScoreOptions & { beta?: number }, allowBeta: boolean): Metric {
  checkKeys(cls, options, allowBeta ? ['average', 'threshold', 'name', 'beta'] : ['average', 'threshold', 'name']);
  const average = options.average ?? 'macro';
  if (average !== 'macro' && average !== 'micro' && average !== 'weighted') {
    throw new Error(`${cls}: average must be 'macro', 'micro' or 'weighted', got ${JSON.stringify(average)}`);
  }
  const threshold = options.threshold === undefined || options.threshold === null ? null : checkFinite(cls, 'threshold', options.threshold);
  const beta = options.beta === undefined ? 1 : checkFinite(cls, 'beta', options.beta);
  if (beta <= 0) throw new Error(`${cls}: beta must be > 0, got ${beta}`);
  const name = checkName(cls, options.name, defaultName);
  const config: MetricConfig = allowBeta ? { average, threshold, beta } : { average, threshold };
  return withIdentity((t, p) => batchFbetaScore(t, p, { average, beta, threshold }), cls, name, config);
}

/** Batch F1 metric, as Keras's `F1Score` but always one number (default average `'macro'`). */
export function F1Score(options: FScoreOptions = {}): Metric {
  return build('F1Score', 'f1_score', options, false);
}

/** Batch F-beta metric: `FBetaScore({ beta: 2, average: 'macro' })`. */
export function FBetaScore(options: FScoreOptions & { beta?: number } = {}): Metric {
  return build('FBetaScore', 'fbeta_score', options, true);
}
