import { add, cast, clone, scalar, tidy, zeros, type Tensor, type Variable } from '@neurona/tensor';
import { Metric, isMetric } from './metric';

/**
 * A metric whose state is a vector of sums, so batches (and whole runs) combine by addition:
 * every built-in metric. Subclasses give `stateSize`, `batchState` (one batch's contribution,
 * `[stateSize]` float32, device ops only) and `resultFrom` (the value of an accumulated state).
 *
 * `updateState` adds `batchState` into one state variable and `result()` is `resultFrom(state)`.
 * Models run the fast path: the `batchState`s of all metrics of a step are concatenated and added
 * to one running sum (one op per step); at read time each metric's slice goes to `resultFrom`.
 *
 * ```ts
 * // the fraction of predictions within 0.1 of the truth, weighted as Keras weights a mean
 * class WithinTenth extends AdditiveMetric {
 *   static readonly className = 'WithinTenth';
 *   readonly stateSize = 2;                                  // [Σ w·hit, Σ w]
 *   batchState(yTrue: Tensor, yPred: Tensor) {
 *     return tidy(() => {
 *       const hit = cast(lessEqual(abs(sub(yTrue, yPred)), 0.1), 'float32');
 *       return stack([sum(hit), scalar(hit.size)]);
 *     });
 *   }
 *   resultFrom(state: Tensor) {
 *     return tidy(() => divNoNan(slice(state, [0], [1]), slice(state, [1], [1])).reshape([]));
 *   }
 * }
 * ```
 */
export abstract class AdditiveMetric extends Metric {
  /**
   * Length of the state vector. Metrics whose size depends on the data (`F1Score` and `FBetaScore`
   * per class, `AUC` with `multiLabel` and no `numLabels`) know it after their first batch
   * (`batchState`, `updateState` or `mergeState`); reading it before throws.
   */
  abstract readonly stateSize: number;

  /**
   * This batch's contribution to the state: a new `[stateSize]` float32 tensor the caller owns,
   * computed with device ops only (no sync read), leaving nothing else allocated. It does not
   * change the state.
   */
  abstract batchState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor;

  /**
   * The metric value of an accumulated state `[stateSize]` (a sum of `batchState`s): a new scalar
   * tensor. It must not dispose or change `state`.
   */
  abstract resultFrom(state: Tensor): Tensor;

  private sums: Variable | null = null;

  /** Add `batchState(yTrue, yPred, sampleWeight)` to the state. */
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    tidy(() => this.mergeState(this.batchState(yTrue, yPred, sampleWeight)));
  }

  /**
   * Add an accumulated state `[stateSize]` (a `batchState`, or a slice of a model's running sum)
   * to this metric's state, so `result()` covers it.
   */
  mergeState(state: Tensor): void {
    if (state.rank !== 1) {
      throw new Error(`${this}: a state must be a vector [stateSize], got shape [${state.shape.join(', ')}]`);
    }
    if (this.sums === null) {
      this.adoptStateSize(state.shape[0]);
      this.sums = this.addWeight('state', [this.stateSize]);
    }
    if (state.shape[0] !== this.stateSize) {
      throw new Error(`${this}: expected a state of shape [${this.stateSize}], got [${state.shape.join(', ')}]`);
    }
    const sums = this.sums;
    tidy(() => {
      sums.assign(add(sums, state.dtype === 'float32' ? state : cast(state, 'float32')));
    });
  }

  /** The accumulated state: a new `[stateSize]` tensor (zeros before any batch), or `[0]`-shaped when the size is still unknown. */
  getState(): Tensor {
    if (this.sums !== null) return clone(this.sums);
    return zeros([this.knownStateSize() ?? 0]);
  }

  /** `resultFrom(state)`: the value over every batch since the last reset (0 before the first batch of a metric sized by its data). */
  result(): Tensor {
    const sums = this.sums;
    if (sums !== null) return tidy(() => this.resultFrom(sums));
    const n = this.knownStateSize();
    return n === null ? scalar(0) : tidy(() => this.resultFrom(zeros([n])));
  }

  /** The value on this batch alone: `resultFrom(batchState(...))`; the state is untouched. */
  override batchValue(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return tidy(() => this.resultFrom(this.batchState(yTrue, yPred, sampleWeight)));
  }

  override dispose(): void {
    super.dispose();
    this.sums = null;
  }

  /**
   * Called with the length of the first state merged into an empty metric. Metrics sized by
   * their data override it to learn their size from it; the default checks nothing (the size
   * check follows).
   */
  protected adoptStateSize(size: number): void {
    void size;
  }

  private knownStateSize(): number | null {
    try {
      return this.stateSize;
    } catch {
      return null;
    }
  }
}

/** True for an `AdditiveMetric` (duck-typed, so either build of the package is recognised). */
export function isAdditive(m: Metric): m is AdditiveMetric {
  if (!isMetric(m)) return false;
  const a = m as unknown as Partial<Record<'batchState' | 'resultFrom' | 'mergeState', unknown>>;
  return typeof a.batchState === 'function' && typeof a.resultFrom === 'function' && typeof a.mergeState === 'function';
}
