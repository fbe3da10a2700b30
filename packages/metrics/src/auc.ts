import { cast, mul, notEqual, ones, reshape, sigmoid, tensor1d, tidy, type Tensor } from '@neurona/tensor';
import { AdditiveMetric } from './additive-metric';
import { areaByLabel, averageLabels, type AUCCurve, type AUCSummationMethod } from './auc-area';
import { confusionAtThresholds, type ThresholdSpec } from './auc-counts';
import { confusionWeights } from './sample-weight';
import { alignPair, fmt } from './shapes';
import { segment } from './state-parts';
import type { MetricConfig } from './types';
import { checkInt, checkKeys, checkName, show } from './validate';

/** Options of `AUC`, as Keras's `keras.metrics.AUC` (camelCase). */
export interface AUCOptions {
  /** Thresholds discretizing the curve, ends included; default 200, at least 2. Ignored with `thresholds`. */
  numThresholds?: number;
  /** `'ROC'` (default), `'PR'` (precision–recall) or `'PRGAIN'` (precision–recall gain). */
  curve?: AUCCurve;
  /** `'interpolation'` (default; for PR, Davis & Goadrich's), `'minoring'` (lower bound) or `'majoring'` (upper bound). */
  summationMethod?: AUCSummationMethod;
  /** Your own thresholds in [0, 1] (sorted for you); `-ε` and `1 + ε` are added at the ends. */
  thresholds?: number[] | null;
  /** One curve per label (`[batch, labels]`), their AUCs averaged; default false: every output is one point. */
  multiLabel?: boolean;
  /** Labels of a multi-label output, when known before the first batch. */
  numLabels?: number | null;
  /** Non-negative weight per label: of each label's AUC (multi-label) or of each output's counts (flattened). */
  labelWeights?: number[] | null;
  /** The predictions are logits: a sigmoid is applied first. */
  fromLogits?: boolean;
  name?: string;
}

/** Keras's `backend.epsilon()`: the end thresholds are `-ε` and `1 + ε`. */
const EPSILON = 1e-7;

const CURVES: Record<string, AUCCurve> = { ROC: 'ROC', roc: 'ROC', PR: 'PR', pr: 'PR', PRGAIN: 'PRGAIN', prgain: 'PRGAIN' };
const METHODS: Record<string, AUCSummationMethod> = {
  interpolation: 'interpolation',
  Interpolation: 'interpolation',
  minoring: 'minoring',
  Minoring: 'minoring',
  majoring: 'majoring',
  Majoring: 'majoring',
};

/** numpy's `allclose(a, b, rtol=1e-5, atol=ε)` against `0, 1/(n-1), …, 1`, as Keras's `is_evenly_distributed_thresholds`. */
function evenlySpaced(values: number[]): boolean {
  const n = values.length;
  if (n < 3) return false;
  return values.every((v, i) => {
    const even = Math.fround(i / (n - 1));
    return Math.abs(v - even) <= EPSILON + 1e-5 * Math.abs(even);
  });
}

/** Keras's thresholds: the given ones (sorted) or `num - 2` evenly spaced, between `-ε` and `1 + ε`. */
export function aucThresholds(numThresholds: number, sortedThresholds: number[] | null): ThresholdSpec {
  let inner: number[];
  let evenly: boolean;
  if (sortedThresholds !== null) {
    inner = [...sortedThresholds];
    evenly = evenlySpaced([0, ...inner, 1]);
  } else {
    inner = Array.from({ length: numThresholds - 2 }, (_, i) => (i + 1) / (numThresholds - 1));
    evenly = true;
  }
  return { values: [0 - EPSILON, ...inner, 1 + EPSILON], evenly };
}

function checkWeights(cls: string, key: string, v: unknown): number[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x < 0)) {
    throw new Error(`${cls}: ${key} must be a non-empty array of finite numbers >= 0, got ${show(v)}`);
  }
  return [...(v as number[])];
}

function checkThresholds(cls: string, v: unknown): number[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !(x >= 0 && x <= 1))) {
    throw new Error(`${cls}: thresholds must be an array of numbers in [0, 1], got ${show(v)}`);
  }
  return [...(v as number[])];
}

const KEYS = ['numThresholds', 'curve', 'summationMethod', 'thresholds', 'multiLabel', 'numLabels', 'labelWeights', 'fromLogits', 'name'];

/**
 * The area under the ROC or precision–recall curve, as Keras 3's `keras.metrics.AUC`: the state
 * is the (sample-weighted) confusion counts at `numThresholds` thresholds (`tp`, `fp`, `tn`, `fn`,
 * each `[T]`, or `[T, labels]` with `multiLabel`), so it adds up over batches; the result is a
 * Riemann sum over the thresholds (Keras's formulas, including its PR interpolation). With the
 * default 200 evenly spaced thresholds the counts follow Keras's bucket rule exactly.
 */
export class AUCMetric extends AdditiveMetric {
  static override readonly className: string = 'AUC';
  /** Thresholds, ends included. */
  readonly numThresholds: number;
  /** The curve integrated. */
  readonly curve: AUCCurve;
  /** How the area between thresholds is summed. */
  readonly summationMethod: AUCSummationMethod;
  /** One curve per label, their AUCs averaged. */
  readonly multiLabel: boolean;
  /** Labels of a multi-label output as given (null: learnt from the first batch). */
  readonly numLabels: number | null;
  /** Weight per label (of label AUCs with `multiLabel`, else of each output's counts), or null. */
  readonly labelWeights: number[] | null;
  /** A sigmoid is applied to the predictions first. */
  readonly fromLogits: boolean;
  /** Every threshold, `-ε` and `1 + ε` included. */
  readonly thresholds: number[];
  private readonly spec: ThresholdSpec;
  private readonly givenThresholds: number[] | null;
  private labels: number | null;

  constructor(options: AUCOptions = {}) {
    const cls = 'AUC';
    checkKeys(cls, options, KEYS);
    const curve = CURVES[String(options.curve ?? 'ROC')];
    if (curve === undefined) throw new Error(`${cls}: curve must be 'ROC', 'PR' or 'PRGAIN', got ${show(options.curve)}`);
    const method = METHODS[String(options.summationMethod ?? 'interpolation')];
    if (method === undefined) {
      throw new Error(`${cls}: summationMethod must be 'interpolation', 'minoring' or 'majoring', got ${show(options.summationMethod)}`);
    }
    const given = checkThresholds(cls, options.thresholds)?.sort((a, b) => a - b) ?? null;
    const num = given !== null ? given.length + 2 : options.numThresholds === undefined ? 200 : checkInt(cls, 'numThresholds', options.numThresholds, 2);
    const multiLabel = options.multiLabel ?? false;
    if (typeof multiLabel !== 'boolean') throw new Error(`${cls}: multiLabel must be a boolean, got ${show(multiLabel)}`);
    const numLabels = options.numLabels === undefined || options.numLabels === null ? null : checkInt(cls, 'numLabels', options.numLabels, 1);
    if (numLabels !== null && !multiLabel) throw new Error(`${cls}: numLabels is needed only when multiLabel is true`);
    const labelWeights = checkWeights(cls, 'labelWeights', options.labelWeights);
    if (labelWeights !== null && numLabels !== null && labelWeights.length !== numLabels) {
      throw new Error(`${cls}: labelWeights has ${labelWeights.length} entries for numLabels ${numLabels}`);
    }
    const fromLogits = options.fromLogits ?? false;
    if (typeof fromLogits !== 'boolean') throw new Error(`${cls}: fromLogits must be a boolean, got ${show(fromLogits)}`);
    super({ name: checkName(cls, options.name, 'auc') });
    this.spec = aucThresholds(num, given);
    this.givenThresholds = given;
    this.thresholds = [...this.spec.values];
    this.numThresholds = num;
    this.curve = curve;
    this.summationMethod = method;
    this.multiLabel = multiLabel;
    this.numLabels = numLabels;
    this.labels = multiLabel ? numLabels : 1;
    this.labelWeights = labelWeights;
    this.fromLogits = fromLogits;
  }

  /** `4 × numThresholds × labels` (labels: 1 unless `multiLabel`; known after the first batch when `numLabels` is not given). */
  get stateSize(): number {
    if (this.labels === null) {
      throw new Error(`${this}: the state size (4 × numThresholds × labels) is known after the first batch, or give numLabels`);
    }
    return 4 * this.numThresholds * this.labels;
  }

  /** `[tp, fp, tn, fn]` at every threshold for this batch, each `[T]` (or `[T, labels]` row-major), flattened. */
  batchState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    if (this.multiLabel && yPred.rank !== 2) {
      throw new Error(`${this}: yPred must have rank 2 [batch, labels] when multiLabel is true, got shape ${fmt(yPred.shape)}`);
    }
    return tidy(() => {
      const [t, p0] = alignPair(this.name, yTrue, yPred);
      const k = p0.shape[p0.rank - 1];
      if (this.multiLabel) this.fixLabels(k, `yPred ${fmt(yPred.shape)}`);
      else if (this.labelWeights !== null && this.labelWeights.length !== k) {
        throw new Error(`${this}: labelWeights has ${this.labelWeights.length} entries for yPred's ${k} outputs (shape ${fmt(yPred.shape)})`);
      }
      const p = this.fromLogits ? sigmoid(p0) : p0;
      let w = sampleWeight === undefined || sampleWeight === null ? ones(t.shape) : confusionWeights(this.name, sampleWeight, t);
      if (!this.multiLabel && this.labelWeights !== null) w = mul(w, tensor1d(this.labelWeights, 'float32'));
      const truth = cast(notEqual(t, 0), 'float32');
      const L = this.multiLabel ? k : 1;
      const flat = (x: Tensor): Tensor => reshape(x, [-1, L]);
      return confusionAtThresholds(flat(truth), flat(p), flat(w), this.spec);
    });
  }

  resultFrom(state: Tensor): Tensor {
    return tidy(() => {
      const T = this.numThresholds;
      const L = state.shape[0] / (4 * T);
      const [tp, fp, tn, fn] = [0, 1, 2, 3].map((i) => segment(state, i * T * L, T * L, [T, L]));
      const byLabel = areaByLabel({ tp, fp, tn, fn }, this.curve, this.summationMethod);
      if (!this.multiLabel) return reshape(byLabel, []);
      if (this.labelWeights !== null && this.labelWeights.length !== L) {
        throw new Error(`${this}: labelWeights has ${this.labelWeights.length} entries for ${L} labels`);
      }
      return averageLabels(byLabel, this.labelWeights);
    });
  }

  override getConfig(): MetricConfig {
    const config: MetricConfig = {
      name: this.name,
      numThresholds: this.numThresholds,
      curve: this.curve,
      summationMethod: this.summationMethod,
      multiLabel: this.multiLabel,
      numLabels: this.numLabels,
      labelWeights: this.labelWeights === null ? null : [...this.labelWeights],
      fromLogits: this.fromLogits,
    };
    // only thresholds given by the user are saved (Keras's optimisation); the ends are added again
    if (this.givenThresholds !== null) config.thresholds = [...this.givenThresholds];
    return config;
  }

  protected override adoptStateSize(size: number): void {
    if (this.labels !== null) return;
    const per = 4 * this.numThresholds;
    if (size % per !== 0 || size === 0) throw new Error(`${this}: a state holds 4 × ${this.numThresholds} × labels values, got ${size}`);
    this.fixLabels(size / per, `a state of ${size} values`);
  }

  private fixLabels(n: number, what: string): void {
    if (this.labels === null) {
      if (this.labelWeights !== null && this.labelWeights.length !== n) {
        throw new Error(`${this}: labelWeights has ${this.labelWeights.length} entries for ${n} labels (${what})`);
      }
      this.labels = n;
    } else if (this.labels !== n) {
      throw new Error(`${this}: built for ${this.labels} labels, got ${what}`);
    }
  }
}

/** The type of what `AUC()` returns. */
export type AUC = AUCMetric;

/**
 * Area under the ROC (default) or PR curve, as Keras's `AUC`: `AUC()`, `AUC({ curve: 'PR' })`,
 * `AUC({ multiLabel: true, numLabels: 5 })`, `AUC({ fromLogits: true })`.
 */
export function AUC(options: AUCOptions = {}): AUC {
  return new AUCMetric(options);
}
