import {
  abs,
  add,
  cast,
  concat,
  div,
  greater,
  greaterEqual,
  logicalAnd,
  max,
  mean,
  mul,
  reshape,
  sub,
  sum,
  tidy,
  type Tensor,
} from '@neurona/tensor';
import { AdditiveMetric } from './additive-metric';
import type { MetricConfig } from './types';
import { fmt, sameShape } from './shapes';
import { trailingWeights } from './sample-weight';
import { segment } from './state-parts';
import { checkFinite, checkKeys, checkName } from './validate';

/** Averages of the F-score metric (a metric is one number, so no per-class `null`). */
export type FScoreAverage = 'micro' | 'macro' | 'weighted';

/** Options of `F1Score` / `FBetaScore`. */
export interface FScoreOptions {
  /** How per-class scores combine: `'macro'` (default), `'micro'`, `'weighted'` (by support). */
  average?: FScoreAverage;
  /** Predictions above it count as positive; `null` (default) takes the arg-max class. */
  threshold?: number | null;
  name?: string;
}

/** Keras's `backend.epsilon()`, added to the F-score denominators as Keras does. */
const EPSILON = 1e-7;

/**
 * F-beta score as Keras 3's `FBetaScore`, for one-hot or multi-label `[batch, classes]`.
 * Predictions are thresholded (without a threshold the arg-max class is predicted; ties all
 * count, an all-zero row predicts nothing). The state sums, per class (or over all classes for
 * `'micro'`), true positives, false positives, false negatives and the support
 * (`intermediate_weights`), weighted by `sampleWeight`: `[tp…, fp…, fn…, support…]`. The result
 * is `(1 + β²)·P·R / (β²·P + R + ε)` with `P = tp / (tp + fp + ε)`, `R = tp / (tp + fn + ε)`,
 * then averaged: the mean over classes (`'macro'`), weighted by support (`'weighted'`), or of the
 * summed counts (`'micro'`). Over an epoch this equals scikit-learn's `fbeta_score` on all its
 * samples up to the ε terms (about 1e-7).
 */
export class FBetaScoreMetric extends AdditiveMetric {
  static override readonly className: string = 'FBetaScore';
  /** How the per-class scores combine. */
  readonly average: FScoreAverage;
  /** Weight of recall in the harmonic mean. */
  readonly beta: number;
  /** Positive above it; null: the arg-max class. */
  readonly threshold: number | null;
  private classes: number | null = null;

  constructor(options: FScoreOptions & { beta?: number } = {}) {
    const { average, beta, threshold, name } = fscoreArgs(new.target.className, options, new.target.className === 'FBetaScore');
    super({ name });
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
  }

  /** 4 for `'micro'`, else 4 × the number of classes (known after the first batch). */
  get stateSize(): number {
    if (this.average === 'micro') return 4;
    if (this.classes === null) {
      throw new Error(`${this}: the state size (4 × the number of classes) is known after the first batch`);
    }
    return 4 * this.classes;
  }

  /** `[tp, fp, fn, support]` of this batch, per class (or summed for `'micro'`). */
  batchState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    if (yPred.rank !== 2 || !sameShape(yTrue.shape, yPred.shape)) {
      throw new Error(
        `${this.name}: expects yTrue and yPred of one shape [batch, classes], got yTrue ${fmt(yTrue.shape)} and yPred ${fmt(yPred.shape)}`,
      );
    }
    this.fixClasses(yPred.shape[1] as number, `yPred ${fmt(yPred.shape)}`);
    return tidy(() => {
      const t = cast(yTrue, 'float32');
      const p0 = cast(yPred, 'float32');
      const said =
        this.threshold === null
          ? logicalAnd(greaterEqual(p0, max(p0, -1, true)), greater(abs(p0), 1e-9))
          : greater(p0, this.threshold);
      const p = cast(said, 'float32');
      const w = sampleWeight === undefined || sampleWeight === null ? null : trailingWeights(this.name, sampleWeight, t);
      const axis = this.average === 'micro' ? undefined : 0;
      const total = (v: Tensor): Tensor => reshape(sum(w === null ? v : mul(v, w), axis), [-1]);
      return concat([total(mul(p, t)), total(mul(p, sub(1, t))), total(mul(sub(1, p), t)), total(t)]);
    });
  }

  resultFrom(state: Tensor): Tensor {
    return tidy(() => {
      const n = state.shape[0] / 4;
      const [tp, fp, fn, support] = [0, 1, 2, 3].map((i) => segment(state, i * n, n));
      const precision = div(tp, add(add(tp, fp), EPSILON));
      const recall = div(tp, add(add(tp, fn), EPSILON));
      const b2 = this.beta * this.beta;
      const f = mul(div(mul(precision, recall), add(add(mul(precision, b2), recall), EPSILON)), 1 + b2);
      if (this.average === 'weighted') return sum(mul(f, div(support, add(sum(support), EPSILON))));
      return mean(f);
    });
  }

  override getConfig(): MetricConfig {
    return { name: this.name, average: this.average, threshold: this.threshold, beta: this.beta };
  }

  protected override adoptStateSize(size: number): void {
    if (this.average === 'micro') return;
    if (size % 4 !== 0 || size === 0) throw new Error(`${this}: a state holds 4 × classes values, got ${size}`);
    this.fixClasses(size / 4, `a state of ${size} values`);
  }

  private fixClasses(n: number, what: string): void {
    if (this.average === 'micro') return;
    if (this.classes === null) this.classes = n;
    else if (this.classes !== n) throw new Error(`${this}: built for ${this.classes} classes, got ${what}`);
  }
}

function fscoreArgs(
  cls: string,
  options: FScoreOptions & { beta?: number },
  allowBeta: boolean,
): { average: FScoreAverage; beta: number; threshold: number | null; name: string } {
  checkKeys(cls, options, allowBeta ? ['average', 'threshold', 'name', 'beta'] : ['average', 'threshold', 'name']);
  const average = options.average ?? 'macro';
  if (average !== 'macro' && average !== 'micro' && average !== 'weighted') {
    throw new Error(`${cls}: average must be 'macro', 'micro' or 'weighted', got ${JSON.stringify(average)}`);
  }
  const threshold = options.threshold === undefined || options.threshold === null ? null : checkFinite(cls, 'threshold', options.threshold);
  const beta = options.beta === undefined ? 1 : checkFinite(cls, 'beta', options.beta);
  if (beta <= 0) throw new Error(`${cls}: beta must be > 0, got ${beta}`);
  return { average, beta, threshold, name: checkName(cls, options.name, cls === 'F1Score' ? 'f1_score' : 'fbeta_score') };
}

/** F1 as Keras 3's `F1Score` (`FBetaScore` with β = 1), averaged (`'macro'` by default). */
export class F1ScoreMetric extends FBetaScoreMetric {
  static override readonly className: string = 'F1Score';

  constructor(options: FScoreOptions = {}) {
    super(options);
  }

  override getConfig(): MetricConfig {
    return { name: this.name, average: this.average, threshold: this.threshold };
  }
}

/**
 * The F-beta score of one batch, as `FBetaScore({ average, beta, threshold })(yTrue, yPred)`
 * (Keras's formula, ε included).
 */
export function batchFbetaScore(
  yTrue: Tensor,
  yPred: Tensor,
  options: { average?: FScoreAverage; beta?: number; threshold?: number | null } = {},
): Tensor {
  return new FBetaScoreMetric({ name: 'f1_score', ...options }).batchValue(yTrue, yPred);
}

/** The type of what `F1Score()` returns. */
export type F1Score = F1ScoreMetric;

/** F1 metric, as Keras's `F1Score` but always one number (default average `'macro'`). */
export function F1Score(options: FScoreOptions = {}): F1Score {
  return new F1ScoreMetric(options);
}

/** The type of what `FBetaScore()` returns. */
export type FBetaScore = FBetaScoreMetric;

/** F-beta metric: `FBetaScore({ beta: 2, average: 'macro' })`. */
export function FBetaScore(options: FScoreOptions & { beta?: number } = {}): FBetaScore {
  return new FBetaScoreMetric(options);
}
