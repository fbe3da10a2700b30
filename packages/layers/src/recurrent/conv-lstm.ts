import { add, concat, conv, mul, ones, reshape, slice, split, tidy, zeros } from '@neurona/tensor';
import type { DataType, Shape, Tensor } from '@neurona/tensor';
import type { ActivationFn, ActivationIdentifier } from '@neurona/activations';
import { activationToConfig, resolveActivation } from '../activation-config';
import type { LayerConfig, LayerVariable } from '../layer';
import { describeValue, formatShape } from '../shape';
import { CELL_KEYS, cellConfig, resolveCellOptions, type CellOptions, type ResolvedCellOptions } from './cell-options';
import { RNNCellLayer, type StepContext, type StepResult } from './rnn-cell';
import { RNNLayer, type RNNOptions } from './rnn';

/** Options of the ConvLSTM cells and layers (Keras's names and defaults). */
export interface ConvLSTMCellOptions extends Omit<CellOptions, 'activation'> {
  /** Default `'tanh'`. */
  activation?: ActivationIdentifier;
  /** Gates' activation. Default `'sigmoid'`. */
  recurrentActivation?: ActivationIdentifier;
  /** Stride of the input convolution (a number or one per spatial axis). Default 1. */
  strides?: number | number[];
  /** `'valid'` (default) or `'same'` for the input convolution; the recurrent one is always `'same'`. */
  padding?: 'valid' | 'same';
  /** Only `'channels_last'` (`[batch, time, ..., channels]`). */
  dataFormat?: 'channels_last' | null;
  /** Dilation of the input convolution. Default 1. */
  dilationRate?: number | number[];
  /** Start the forget gate's bias at 1, as Keras. Default true. */
  unitForgetBias?: boolean;
}

const CONV_KEYS = [...CELL_KEYS, 'recurrentActivation', 'strides', 'padding', 'dataFormat', 'dilationRate', 'unitForgetBias', 'kernelSize'];

function tuple(where: string, name: string, v: unknown, rank: number, fallback: number): number[] {
  const raw = v === undefined || v === null ? fallback : v;
  const list = typeof raw === 'number' ? Array.from({ length: rank }, () => raw) : raw;
  if (!Array.isArray(list) || list.length !== rank || !list.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${where}: ${name} must be a positive integer or ${rank} of them, got ${describeValue(v)}`);
  }
  return list as number[];
}

/** One spatial size after a convolution (Keras's compute_conv_output_shape). */
function convSize(n: number | null, k: number, s: number, d: number, padding: 'valid' | 'same'): number | null {
  if (n === null) return null;
  return padding === 'same' ? Math.ceil(n / s) : Math.floor((n - d * (k - 1) - 1) / s) + 1;
}

/**
 * Keras's ConvLSTM cell (`rank` 1 or 2): an LSTM whose products are convolutions, on
 * `[batch, ...spatial, channels]` steps. Kernel `[...kernelSize, channels, 4·filters]`, recurrent
 * kernel `[...kernelSize, filters, 4·filters]` (gates i, f, c, o along the last axis), bias
 * `[4·filters]`. The states are `[batch, ...outSpatial, filters]`.
 */
export class ConvLSTMCellLayer extends RNNCellLayer {
  static override readonly className: string = 'ConvLSTMCell';
  readonly rank: 1 | 2;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dilationRate: number[];
  readonly options: ResolvedCellOptions;
  readonly recurrentActivation: ActivationFn;
  readonly unitForgetBias: boolean;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  private spatial: number[] | null = null;

  constructor(rank: 1 | 2, filters: number, kernelSize: number | number[], options: ConvLSTMCellOptions = {}) {
    const o = options ?? {};
    super(o, CONV_KEYS);
    const where = `${this}`;
    if (rank !== 1 && rank !== 2) throw new Error(`${where}: rank must be 1 or 2, got ${describeValue(rank)}`);
    this.rank = rank;
    this.options = resolveCellOptions(where, filters, o as CellOptions);
    this.filters = filters;
    this.kernelSize = tuple(where, 'kernelSize', kernelSize, rank, 1);
    this.strides = tuple(where, 'strides', o.strides, rank, 1);
    this.dilationRate = tuple(where, 'dilationRate', o.dilationRate, rank, 1);
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new Error(`${where}: strides > 1 and dilationRate > 1 cannot be combined, got strides ${formatShape(this.strides)} and dilationRate ${formatShape(this.dilationRate)}`);
    }
    const padding = o.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') throw new Error(`${where}: padding must be 'valid' or 'same', got ${describeValue(padding)}`);
    this.padding = padding;
    if (o.dataFormat !== undefined && o.dataFormat !== null && o.dataFormat !== 'channels_last') {
      throw new Error(`${where}: only dataFormat 'channels_last' is supported, got ${describeValue(o.dataFormat)}`);
    }
    this.recurrentActivation = resolveActivation(o.recurrentActivation === undefined ? 'sigmoid' : o.recurrentActivation);
    if (o.unitForgetBias !== undefined && typeof o.unitForgetBias !== 'boolean') throw new Error(`${where}: unitForgetBias must be a boolean, got ${describeValue(o.unitForgetBias)}`);
    this.unitForgetBias = o.unitForgetBias ?? true;
    this.dropout = this.options.dropout;
    this.recurrentDropout = this.options.recurrentDropout;
    this.seedDropout(this.options.seed);
  }

  get stateSize(): number[] {
    return [this.filters, this.filters];
  }

  get outputSize(): number {
    return this.filters;
  }

  protected override dropoutMaskCount(): { input: number; recurrent: number } {
    return { input: 4, recurrent: 4 };
  }

  private outSpatial(stepShape: Shape): (number | null)[] {
    return stepShape.slice(1, 1 + this.rank).map((n, i) => convSize(n, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding));
  }

  override stepOutputShape(stepShape: Shape): Shape {
    return [stepShape[0], ...this.outSpatial(stepShape), this.filters];
  }

  override stateShape(i: number, batch: number | null, stepShape?: Shape): Shape {
    void i;
    const spatial = stepShape ? this.outSpatial(stepShape) : (this.spatial ?? []);
    return [batch, ...spatial, this.filters];
  }

  override initialStates(batch: number, stepShape?: number[]): Tensor[] {
    const shape = this.stateShape(0, batch, stepShape ?? [batch, ...(this.spatial ?? [])]) as number[];
    return [zeros(shape), zeros(shape)];
  }

  protected buildCell(stepShape: Shape): void {
    if (stepShape.length !== this.rank + 2 || stepShape.slice(1).some((d) => d === null)) {
      throw new Error(`${this} expects steps [batch, ${this.rank === 1 ? 'width' : 'rows, cols'}, channels] of known size, got ${formatShape(stepShape)}`);
    }
    const o = this.options;
    const f = this.filters;
    const channels = stepShape[stepShape.length - 1] as number;
    this.spatial = this.outSpatial(stepShape) as number[];
    if (this.spatial.some((n) => n <= 0)) throw new Error(`${this}: the input ${formatShape(stepShape)} is smaller than the kernel ${formatShape(this.kernelSize)}`);
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels, 4 * f], o.kernelInitializer, { regularizer: o.kernelRegularizer, constraint: o.kernelConstraint });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [...this.kernelSize, f, 4 * f], o.recurrentInitializer, {
      regularizer: o.recurrentRegularizer,
      constraint: o.recurrentConstraint,
    });
    if (!o.useBias) return;
    const init = o.biasInitializer;
    const unitForget = (_shape: number[], dtype?: DataType): Tensor => tidy(() => concat([init([f], dtype), ones([f], dtype), init([2 * f], dtype)]));
    this.bias = this.addWeight('bias', [4 * f], this.unitForgetBias ? unitForget : init, { regularizer: o.biasRegularizer, constraint: o.biasConstraint });
  }

  private conv(x: Tensor, w: Tensor, input: boolean): Tensor {
    const strides = input ? this.strides : this.kernelSize.map(() => 1);
    const pad = input ? this.padding : 'same';
    const dil = input ? this.dilationRate : this.kernelSize.map(() => 1);
    // neurona's conv: fast kernels on cpu/wasm and a gradient on every backend
    return conv(x, w, null, { strides, padding: pad, dilations: dil });
  }

  /** Gate g's slice of a kernel (last axis) or of the bias. */
  private gate(t: Tensor, g: number): Tensor {
    const f = this.filters;
    const begin = t.shape.map((_, i) => (i === t.rank - 1 ? g * f : 0));
    const size = t.shape.map((d, i) => (i === t.rank - 1 ? f : d));
    return slice(t, begin, size);
  }

  step(x: Tensor, states: Tensor[], context: StepContext): StepResult {
    const [h, c] = states;
    const act = this.options.activation;
    const ra = this.recurrentActivation;
    const d = context.training ? context.dropout : null;
    const W = this.kernel as LayerVariable;
    const U = this.recurrentKernel as LayerVariable;
    const biasRow = (b: Tensor) => reshape(b, [...Array.from({ length: this.rank + 1 }, () => 1), b.shape[0]]);
    let z: Tensor[];
    if (d) {
      // Keras: one dropout mask per gate, for the input and for h
      z = [0, 1, 2, 3].map((g) => {
        const xg = d.input ? mul(x, d.input[g]) : x;
        const hg = d.recurrent ? mul(h, d.recurrent[g]) : h;
        let xc = this.conv(xg, this.gate(W, g), true);
        if (this.bias) xc = add(xc, biasRow(this.gate(this.bias, g)));
        return add(xc, this.conv(hg, this.gate(U, g), false));
      });
    } else {
      // without dropout the four gates are one convolution each way (linear in the kernel)
      let xc = this.conv(x, W, true);
      if (this.bias) xc = add(xc, biasRow(this.bias));
      z = split(add(xc, this.conv(h, U, false)), 4, -1);
    }
    const [zi, zf, zc, zo] = z;
    const cNew = add(mul(ra(zf), c), mul(ra(zi), act(zc)));
    const hNew = mul(ra(zo), act(cNew));
    return { output: hNew, states: [hNew, cNew] };
  }

  override getConfig(): LayerConfig {
    const { units: _u, ...common } = cellConfig(this.options);
    void _u;
    return {
      ...super.getConfig(),
      rank: this.rank,
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: 'channels_last',
      dilationRate: [...this.dilationRate],
      ...common,
      recurrentActivation: activationToConfig(this.recurrentActivation),
      unitForgetBias: this.unitForgetBias,
    };
  }

  static fromConfig(config: LayerConfig): ConvLSTMCellLayer {
    const { rank, filters, kernelSize, ...rest } = config;
    return new ConvLSTMCellLayer(rank as 1 | 2, filters as number, kernelSize as number | number[], rest as ConvLSTMCellOptions);
  }
}

/** Options of `ConvLSTM1D` and `ConvLSTM2D`: the cell's and the RNN's. */
export interface ConvLSTMOptions extends ConvLSTMCellOptions, RNNOptions {}

const RNN_ONLY = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'zeroOutputForMask', 'name', 'inputShape', 'batchInputShape', 'batchSize', 'activityRegularizer'];

function cellOptions(o: ConvLSTMOptions): ConvLSTMCellOptions {
  const out: Record<string, unknown> = { name: 'conv_lstm_cell' };
  for (const [k, v] of Object.entries(o ?? {})) if (!RNN_ONLY.includes(k) && k !== 'kernelSize') out[k] = v;
  return out as ConvLSTMCellOptions;
}

abstract class ConvLSTMBase extends RNNLayer {
  declare readonly cell: ConvLSTMCellLayer;

  protected override get sequenceRank(): number {
    return this.cell.rank + 3;
  }

  get filters(): number {
    return this.cell.filters;
  }

  override getConfig(): LayerConfig {
    const { cell: _c, ...base } = super.getConfig();
    void _c;
    const { name: _n, trainable: _t, dtype: _d, rank: _r, ...cell } = this.cell.getConfig();
    void _n;
    void _t;
    void _d;
    void _r;
    return { ...base, ...cell };
  }
}

/**
 * Keras's `ConvLSTM2D`: an LSTM over frames `[batch, time, rows, cols, channels]` whose products
 * are 2-D convolutions: `ConvLSTM2D(16, 3, { padding: 'same', returnSequences: true })`.
 */
export class ConvLSTM2DLayer extends ConvLSTMBase {
  static override readonly className: string = 'ConvLSTM2D';

  constructor(filters: number, kernelSize: number | number[], options: ConvLSTMOptions = {}) {
    super(new ConvLSTMCellLayer(2, filters, kernelSize, cellOptions(options)), options ?? {}, CONV_KEYS);
  }

  static override fromConfig(config: LayerConfig): ConvLSTM2DLayer {
    const { filters, kernelSize, ...rest } = config;
    return new ConvLSTM2DLayer(filters as number, kernelSize as number[], rest as ConvLSTMOptions);
  }
}

/** Keras's `ConvLSTM1D`: an LSTM over `[batch, time, width, channels]` with 1-D convolutions. */
export class ConvLSTM1DLayer extends ConvLSTMBase {
  static override readonly className: string = 'ConvLSTM1D';

  constructor(filters: number, kernelSize: number | number[], options: ConvLSTMOptions = {}) {
    super(new ConvLSTMCellLayer(1, filters, kernelSize, cellOptions(options)), options ?? {}, CONV_KEYS);
  }

  static override fromConfig(config: LayerConfig): ConvLSTM1DLayer {
    const { filters, kernelSize, ...rest } = config;
    return new ConvLSTM1DLayer(filters as number, kernelSize as number[], rest as ConvLSTMOptions);
  }
}

/** The type of what `ConvLSTM2D()` returns. */
export type ConvLSTM2D = ConvLSTM2DLayer;
/** The type of what `ConvLSTM1D()` returns. */
export type ConvLSTM1D = ConvLSTM1DLayer;

/** `ConvLSTM2D(filters, kernelSize, options)` on `[batch, time, rows, cols, channels]`. */
export function ConvLSTM2D(filters: number, kernelSize: number | number[], options: ConvLSTMOptions = {}): ConvLSTM2D {
  return new ConvLSTM2DLayer(filters, kernelSize, options);
}

/** `ConvLSTM1D(filters, kernelSize, options)` on `[batch, time, width, channels]`. */
export function ConvLSTM1D(filters: number, kernelSize: number | number[], options: ConvLSTMOptions = {}): ConvLSTM1D {
  return new ConvLSTM1DLayer(filters, kernelSize, options);
}
