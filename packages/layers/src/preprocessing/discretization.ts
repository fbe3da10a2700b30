import { cast, expandDims, greaterEqual, sum, tensor1d, zerosLike } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from '../layer';
import { Layer } from '../layer';
import { describeValue } from '../shape';
import { checkMode, encodeCategorical, encodedShape } from './encode';
import type { CategoricalMode } from './encode';
import { adaptBatches, assertNumericTensor, expectNumbers } from './host-data';
import { binBoundaries, emptySummary, mergeSummaries, summarize } from './quantiles';
import type { Summary } from './quantiles';

/** Options of `Discretization` (Keras's names and defaults). */
export interface DiscretizationOptions extends LayerOptions {
  /** Sorted boundaries: `[0, 1, 2]` makes bins (-inf, 0), [0, 1), [1, 2), [2, inf). */
  binBoundaries?: number[] | null;
  /** Number of bins to learn with `adapt()` (instead of `binBoundaries`). */
  numBins?: number | null;
  /** Quantile error tolerance of `adapt()`. Default 0.01. */
  epsilon?: number;
  /** `'int'` (bin ids, default), `'one_hot'`, `'multi_hot'` or `'count'`. */
  outputMode?: CategoricalMode;
  /** Keras's sparse outputs; only false here. */
  sparse?: boolean;
}

const MODES: readonly CategoricalMode[] = ['int', 'one_hot', 'multi_hot', 'count'];

/**
 * Buckets continuous values into bins, as Keras's `Discretization`: the bin id is the number of
 * boundaries `<= x` (NumPy's `digitize`). Boundaries are given, or learned as approximate
 * quantiles by `await layer.adapt(data)` (Keras's summaries, so the same boundaries); after
 * `adapt` they are part of the config, as in Keras.
 */
export class DiscretizationLayer extends Layer {
  static override readonly className: string = 'Discretization';
  binBoundaries: number[] | null;
  readonly numBins: number | null;
  readonly epsilon: number;
  readonly outputMode: CategoricalMode;
  private summary: Summary = emptySummary();

  constructor(options: DiscretizationOptions = {}) {
    const mode = checkMode('Discretization', options.outputMode ?? 'int', MODES);
    super({ ...options, dtype: mode === 'int' ? 'int32' : 'float32' }, ['binBoundaries', 'numBins', 'epsilon', 'outputMode', 'sparse']);
    this.outputMode = mode;
    if (options.sparse) throw new Error(`${this}: sparse outputs are not supported; use sparse: false`);
    const b = options.binBoundaries ?? null;
    const n = options.numBins ?? null;
    if (n !== null && (!Number.isInteger(n) || n < 0)) throw new Error(`${this}: numBins must be an integer >= 0, got ${describeValue(n)}`);
    if (b !== null && (!Array.isArray(b) || !b.every((v) => typeof v === 'number' && !Number.isNaN(v)))) {
      throw new Error(`${this}: binBoundaries must be a list of numbers, got ${describeValue(b)}`);
    }
    if (b !== null && b.some((v, i) => i > 0 && v < b[i - 1])) throw new Error(`${this}: binBoundaries must be sorted, got ${describeValue(b)}`);
    if (b === null && n === null) throw new Error(`${this}: give binBoundaries, or numBins and call adapt()`);
    this.binBoundaries = b ? [...b] : null;
    this.numBins = n;
    this.epsilon = options.epsilon ?? 0.01;
    if (!(this.epsilon > 0 && this.epsilon < 1)) throw new Error(`${this}: epsilon must be in (0, 1), got ${describeValue(options.epsilon)}`);
  }

  private get depth(): number | null {
    return this.binBoundaries ? this.binBoundaries.length + 1 : this.numBins;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    assertNumericTensor(`${this}`, x);
    const b = this.binBoundaries;
    if (!b) throw new Error(`${this} has no bin boundaries yet: call adapt(data) first, or give binBoundaries`);
    const xf = x.dtype === 'float32' ? x : cast(x, 'float32');
    const ids = b.length === 0
      ? cast(zerosLike(xf), 'int32')
      : sum(cast(greaterEqual(expandDims(xf, -1), tensor1d(b)), 'int32'), -1);
    return encodeCategorical(ids, this.outputMode, b.length + 1);
  }

  /**
   * Learn `numBins - 1` boundaries from the quantiles of `data` (arrays, a tensor, an array of
   * batches or a Dataset, one batch at a time), as Keras's `adapt`.
   */
  async adapt(data: unknown): Promise<void> {
    if (this.numBins === null) throw new Error(`${this} was given binBoundaries; create it with numBins to adapt`);
    let summary = emptySummary();
    for await (const batch of adaptBatches(`${this}`, data)) {
      expectNumbers(`${this}`, batch);
      summary = mergeSummaries(summarize(batch.values, this.epsilon), summary, this.epsilon);
    }
    this.summary = summary;
    this.binBoundaries = binBoundaries(summary, this.numBins);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    if (this.outputMode === 'int') return s;
    const d = this.depth;
    if (this.outputMode === 'one_hot') return encodedShape(s, 'one_hot', d);
    // Keras: the second axis is reduced
    return s.length >= 2 ? [s[0], ...s.slice(2), d] : [d];
  }

  override getConfig(): LayerConfig {
    void this.summary;
    return {
      ...super.getConfig(),
      binBoundaries: this.binBoundaries ? [...this.binBoundaries] : null,
      numBins: this.numBins,
      epsilon: this.epsilon,
      outputMode: this.outputMode,
      sparse: false,
    };
  }

  static fromConfig(config: LayerConfig): DiscretizationLayer {
    // after adapt both are set (as Keras): build with numBins, then restore the boundaries
    const { binBoundaries: b, ...rest } = config as DiscretizationOptions & LayerConfig;
    if (b != null && rest.numBins != null) {
      const layer = new DiscretizationLayer(rest as DiscretizationOptions);
      layer.binBoundaries = [...b];
      return layer;
    }
    return new DiscretizationLayer(config as DiscretizationOptions);
  }
}

/** The type of what `Discretization()` returns. */
export type Discretization = DiscretizationLayer;

/** `Discretization({ binBoundaries: [0, 1, 2] })`, or `Discretization({ numBins: 4 })` and `adapt`. */
export function Discretization(options: DiscretizationOptions = {}): Discretization {
  return new DiscretizationLayer(options);
}
