import { add, div, maximum, mul, reshape, sqrt, sub, tensor } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions, LayerVariable } from '../layer';
import { Layer } from '../layer';
import { describeValue, formatShape } from '../shape';
import { adaptBatches, assertNumericTensor, expectNumbers } from './host-data';

/** Options of `Normalization` (Keras's names and defaults). */
export interface NormalizationOptions extends LayerOptions {
  /** Axis or axes with their own mean and variance (default -1, the features); `null` for one scalar mean. */
  axis?: number | number[] | null;
  /** Given mean (instead of `adapt()`): a number or a list broadcast over the kept axes. */
  mean?: number | number[] | null;
  /** Given variance, with `mean`. */
  variance?: number | number[] | null;
  /** Apply the inverse: `mean + x · sqrt(variance)`. Default false. */
  invert?: boolean;
}

// Keras's backend.epsilon(): the smallest standard deviation divided by.
const EPSILON = 1e-7;

function flatNumbers(v: number | number[]): number[] {
  return typeof v === 'number' ? [v] : v.flat(Infinity as 1) as number[];
}

/**
 * Shifts and scales inputs to mean 0 and variance 1 per feature, as Keras's `Normalization`:
 * `(x - mean) / max(sqrt(variance), 1e-7)`. The statistics come from `await layer.adapt(data)`
 * (arrays, tensors or a `@neurona/data` Dataset, streamed one batch at a time) or from the
 * `mean`/`variance` options. Adapted statistics are the non-trainable weights `mean`,
 * `variance` and `count` (Keras's), so they save and load with the model.
 */
export class NormalizationLayer extends Layer {
  static override readonly className: string = 'Normalization';
  /** The kept axes as given (Keras's tuple; empty for `axis: null`). */
  readonly axis: number[];
  readonly invert: boolean;
  readonly inputMean: number[] | null;
  readonly inputVariance: number[] | null;
  private readonly meanGiven: number | number[] | null;
  private readonly varianceGiven: number | number[] | null;
  /** Masks pass through (Keras's `supports_masking = True`). */
  supportsMasking = true;
  adaptMean: LayerVariable | null = null;
  adaptVariance: LayerVariable | null = null;
  count: LayerVariable | null = null;
  private keepAxis: number[] = [];
  private broadcastShape: number[] = [];
  private statShape: number[] = [];
  private buildShape: Shape | null = null;

  constructor(options: NormalizationOptions = {}) {
    super(options, ['axis', 'mean', 'variance', 'invert']);
    const axis = options.axis === undefined ? -1 : options.axis;
    const axes = axis === null ? [] : typeof axis === 'number' ? [axis] : axis;
    if (!Array.isArray(axes) || !axes.every((a) => Number.isInteger(a))) {
      throw new Error(`${this}: axis must be an integer, a list of integers or null, got ${describeValue(options.axis)}`);
    }
    this.axis = [...axes];
    this.invert = options.invert ?? false;
    if (typeof this.invert !== 'boolean') throw new Error(`${this}: invert must be a boolean, got ${describeValue(options.invert)}`);
    const m = options.mean ?? null;
    const v = options.variance ?? null;
    if ((m === null) !== (v === null)) {
      throw new Error(`${this}: give both mean and variance, or neither (adapt() computes them); got mean=${describeValue(m)}, variance=${describeValue(v)}`);
    }
    const okStat = (x: unknown) => typeof x === 'number' || (Array.isArray(x) && flatNumbers(x as number[]).every((n) => typeof n === 'number' && Number.isFinite(n)));
    if (m !== null && (!okStat(m) || !okStat(v))) {
      throw new Error(`${this}: mean and variance must be numbers or lists of numbers, got mean=${describeValue(m)}, variance=${describeValue(v)}`);
    }
    if (m !== null && flatNumbers(m).length !== flatNumbers(v as number[]).length) {
      throw new Error(`${this}: mean and variance must have the same shape, got ${flatNumbers(m).length} and ${flatNumbers(v as number[]).length} values`);
    }
    this.meanGiven = m;
    this.varianceGiven = v;
    this.inputMean = m === null ? null : flatNumbers(m);
    this.inputVariance = v === null ? null : flatNumbers(v);
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    const ndim = s.length;
    if (this.axis.some((a) => a < -ndim || a >= ndim)) {
      throw new Error(`${this}: every axis must be in [-${ndim}, ${ndim}) for inputs ${formatShape(s)}, got axis ${formatShape(this.axis)}`);
    }
    this.keepAxis = [...new Set(this.axis.map((a) => (a < 0 ? a + ndim : a)))].sort((a, b) => a - b);
    for (const d of this.keepAxis) {
      if (s[d] === null) throw new Error(`${this}: the kept axis ${d} must have a known size, got input ${formatShape(s)}`);
    }
    this.buildShape = [...s];
    this.broadcastShape = s.map((d, i) => (this.keepAxis.includes(i) ? (d as number) : 1));
    this.statShape = this.keepAxis.map((d) => s[d] as number);
    const nStat = this.statShape.reduce((a, b) => a * b, 1);
    if (this.inputMean === null) {
      this.adaptMean = this.addWeight('mean', this.statShape, 'zeros', { trainable: false });
      this.adaptVariance = this.addWeight('variance', this.statShape, 'ones', { trainable: false });
      this.count = this.addWeight('count', [], 'zeros', { trainable: false, dtype: 'int32' });
    } else if (this.inputMean.length !== 1 && this.inputMean.length !== nStat) {
      throw new Error(`${this}: mean has ${this.inputMean.length} values, which do not broadcast to the kept axes ${formatShape(this.statShape)}`);
    }
    this.built = true;
  }

  private stats(): { mean: Tensor; variance: Tensor } {
    if (this.inputMean !== null) {
      const n = this.broadcastShape.reduce((a, b) => a * b, 1);
      const fill = (v: number[]) => (v.length === 1 ? Array.from({ length: n }, () => v[0]) : v);
      return {
        mean: tensor(fill(this.inputMean), this.broadcastShape),
        variance: tensor(fill(this.inputVariance as number[]), this.broadcastShape),
      };
    }
    return {
      mean: reshape(this.adaptMean as Tensor, this.broadcastShape),
      variance: reshape(this.adaptVariance as Tensor, this.broadcastShape),
    };
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    assertNumericTensor(`${this}`, x);
    const { mean, variance } = this.stats();
    const std = maximum(sqrt(variance), EPSILON);
    return this.invert ? add(mean, mul(x, std)) : div(sub(x, mean), std);
  }

  /**
   * Compute the mean and variance of `data` per kept index (Keras's `adapt`): a tensor, nested
   * arrays, an array of batch tensors, or a Dataset of batches (elements `x` or `{ x, y }`),
   * read one batch at a time. Replaces the statistics; the layer is built from the data's shape.
   */
  async adapt(data: unknown): Promise<void> {
    if (this.inputMean !== null) throw new Error(`${this}: mean and variance were given, so there is nothing to adapt`);
    let total = 0;
    let mean: Float64Array | null = null;
    let variance: Float64Array | null = null;
    for await (const batch of adaptBatches(`${this}`, data)) {
      expectNumbers(`${this}`, batch);
      const shape = batch.shape;
      if (!this.built) {
        this.build(shape);
      } else {
        const bs = this.buildShape as Shape;
        if (shape.length !== bs.length || this.keepAxis.some((d) => shape[d] !== bs[d])) {
          throw new Error(`${this} was built for inputs ${formatShape(bs)}, adapt() got data of shape ${formatShape(shape)}`);
        }
      }
      const k = this.statShape.reduce((a, b) => a * b, 1);
      const { bMean, bVar, perIndex } = batchMoments(batch.values, shape, this.keepAxis, k);
      if (perIndex === 0) continue;
      mean ??= new Float64Array(k);
      variance ??= new Float64Array(k);
      // Keras's merge (lack-of-fit sum of squares), batch by batch
      total += perIndex;
      const wb = perIndex / total;
      const we = 1 - wb;
      for (let j = 0; j < k; j++) {
        const m = mean[j] * we + bMean[j] * wb;
        variance[j] = (variance[j] + (mean[j] - m) ** 2) * we + (bVar[j] + (bMean[j] - m) ** 2) * wb;
        mean[j] = m;
      }
    }
    if (!mean || !variance) throw new Error(`${this}: adapt() got no values to compute a mean from`);
    const mt = tensor(Float32Array.from(mean), this.statShape);
    const vt = tensor(Float32Array.from(variance), this.statShape);
    (this.adaptMean as LayerVariable).assign(mt);
    (this.adaptVariance as LayerVariable).assign(vt);
    mt.dispose();
    vt.dispose();
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: [...this.axis], invert: this.invert, mean: this.meanGiven, variance: this.varianceGiven };
  }

  static fromConfig(config: LayerConfig): NormalizationLayer {
    return new NormalizationLayer(config as NormalizationOptions);
  }
}

/** Mean and (population) variance of one batch per kept index, in float64. */
function batchMoments(values: ArrayLike<number>, shape: number[], keep: number[], k: number): { bMean: Float64Array; bVar: Float64Array; perIndex: number } {
  const n = values.length;
  const perIndex = k === 0 ? 0 : n / k;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const keepStrides = keep.map((_, i) => keep.slice(i + 1).reduce((a, d) => a * shape[d], 1));
  const indexOf = (flat: number): number => {
    let j = 0;
    keep.forEach((d, i) => {
      j += (Math.floor(flat / strides[d]) % shape[d]) * keepStrides[i];
    });
    return j;
  };
  const sums = new Float64Array(k);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    idx[i] = keep.length === 0 ? 0 : indexOf(i);
    sums[idx[i]] += values[i];
  }
  const bMean = sums.map((s) => s / perIndex);
  const sq = new Float64Array(k);
  for (let i = 0; i < n; i++) sq[idx[i]] += (values[i] - bMean[idx[i]]) ** 2;
  const bVar = sq.map((s) => s / perIndex);
  return { bMean, bVar, perIndex };
}

/** The type of what `Normalization()` returns. */
export type Normalization = NormalizationLayer;

/**
 * `Normalization()` then `await layer.adapt(xTrain)`, or `Normalization({ mean: 3, variance: 2 })`:
 * standardizes features, as Keras's layer.
 */
export function Normalization(options: NormalizationOptions = {}): Normalization {
  return new NormalizationLayer(options);
}
