// LSTM, GRU and SimpleRNN: an RNN around one cell of theirs, configured by the cell's options and
// the RNN's together (Keras's config flattens them: `units`, `dropout`, ..., `return_sequences`).
import type { LayerConfig } from '../layer';
import { CELL_KEYS } from './cell-options';
import { GRUCellLayer, type GRUCellOptions } from './gru-cell';
import { LSTMCellLayer, type LSTMCellOptions } from './lstm-cell';
import { RNNLayer, type RNNOptions } from './rnn';
import type { RNNCellLayer } from './rnn-cell';
import { SimpleRNNCellLayer, type SimpleRNNCellOptions } from './simple-rnn-cell';

const LSTM_KEYS = [...CELL_KEYS, 'recurrentActivation', 'unitForgetBias'];
const GRU_KEYS = [...CELL_KEYS, 'recurrentActivation', 'resetAfter'];

/** The options that go to the cell (and the cell's fixed name, as Keras); others are the RNN's to check. */
function cellPart<T extends object>(options: T, cellName: string, keys: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options ?? {})) if (keys.includes(k)) out[k] = v;
  const o = options as { trainable?: boolean; dtype?: string };
  return { ...out, name: cellName, ...(o.trainable !== undefined ? { trainable: o.trainable } : {}), ...(o.dtype !== undefined ? { dtype: o.dtype } : {}) } as T;
}


/** The layer's config: the RNN's, with the cell's options in place of `cell` (Keras's form). */
function flatConfig(base: LayerConfig, cell: RNNCellLayer): LayerConfig {
  const { cell: _cell, ...rest } = base;
  void _cell;
  const { name: _n, trainable: _t, dtype: _d, ...cellOptions } = cell.getConfig();
  void _n;
  void _t;
  void _d;
  return { ...rest, ...cellOptions };
}

/** Options of `LSTM`: the cell's and the RNN's. */
export interface LSTMOptions extends LSTMCellOptions, RNNOptions {}

/**
 * Keras's `LSTM` (Hochreiter & Schmidhuber): `LSTM(64, { returnSequences: true })` on
 * `[batch, timesteps, features]`. Keras 3's defaults: tanh, sigmoid gates, `unitForgetBias`,
 * glorot-uniform kernel, orthogonal recurrent kernel. Weights `kernel` `[features, 4·units]`,
 * `recurrent_kernel` `[units, 4·units]`, `bias` `[4·units]` (gates i, f, c, o). Runs as one fused
 * op over the sequence (see `RNN`).
 */
export class LSTMLayer extends RNNLayer {
  static override readonly className: string = 'LSTM';
  declare readonly cell: LSTMCellLayer;

  constructor(units: number, options: LSTMOptions = {}) {
    super(new LSTMCellLayer(units, cellPart(options ?? {}, 'lstm_cell', LSTM_KEYS)), options ?? {}, LSTM_KEYS);
  }

  get units(): number {
    return this.cell.units;
  }

  override getConfig(): LayerConfig {
    return flatConfig(super.getConfig(), this.cell);
  }

  static override fromConfig(config: LayerConfig): LSTMLayer {
    const { units, ...rest } = config;
    return new LSTMLayer(units as number, rest as LSTMOptions);
  }
}

/** Options of `GRU`: the cell's and the RNN's. */
export interface GRUOptions extends GRUCellOptions, RNNOptions {}

/**
 * Keras's `GRU` (Cho et al.): `GRU(64)`. Keras 3's defaults: `resetAfter: true` (bias
 * `[2, 3·units]`: input bias, then recurrent bias), sigmoid gates, tanh. Weights `kernel`
 * `[features, 3·units]`, `recurrent_kernel` `[units, 3·units]` (gates z, r, h).
 */
export class GRULayer extends RNNLayer {
  static override readonly className: string = 'GRU';
  declare readonly cell: GRUCellLayer;

  constructor(units: number, options: GRUOptions = {}) {
    super(new GRUCellLayer(units, cellPart(options ?? {}, 'gru_cell', GRU_KEYS)), options ?? {}, GRU_KEYS);
  }

  get units(): number {
    return this.cell.units;
  }

  override getConfig(): LayerConfig {
    return flatConfig(super.getConfig(), this.cell);
  }

  static override fromConfig(config: LayerConfig): GRULayer {
    const { units, ...rest } = config;
    return new GRULayer(units as number, rest as GRUOptions);
  }
}

/** Options of `SimpleRNN`: the cell's and the RNN's. */
export interface SimpleRNNOptions extends SimpleRNNCellOptions, RNNOptions {}

/** Keras's `SimpleRNN`: `h = tanh(x·W + b + h₋₁·U)`; weights `kernel`, `recurrent_kernel`, `bias`. */
export class SimpleRNNLayer extends RNNLayer {
  static override readonly className: string = 'SimpleRNN';
  declare readonly cell: SimpleRNNCellLayer;

  constructor(units: number, options: SimpleRNNOptions = {}) {
    super(new SimpleRNNCellLayer(units, cellPart(options ?? {}, 'simple_rnn_cell', CELL_KEYS)), options ?? {}, CELL_KEYS);
  }

  get units(): number {
    return this.cell.units;
  }

  override getConfig(): LayerConfig {
    return flatConfig(super.getConfig(), this.cell);
  }

  static override fromConfig(config: LayerConfig): SimpleRNNLayer {
    const { units, ...rest } = config;
    return new SimpleRNNLayer(units as number, rest as SimpleRNNOptions);
  }
}

/** The type of what `LSTM()` returns. */
export type LSTM = LSTMLayer;
/** The type of what `GRU()` returns. */
export type GRU = GRULayer;
/** The type of what `SimpleRNN()` returns. */
export type SimpleRNN = SimpleRNNLayer;

/** `LSTM(64, { returnSequences: true, dropout: 0.2 })`. */
export function LSTM(units: number, options: LSTMOptions = {}): LSTM {
  return new LSTMLayer(units, options);
}

/** `GRU(64, { goBackwards: true })`. */
export function GRU(units: number, options: GRUOptions = {}): GRU {
  return new GRULayer(units, options);
}

/** `SimpleRNN(32, { activation: 'relu' })`. */
export function SimpleRNN(units: number, options: SimpleRNNOptions = {}): SimpleRNN {
  return new SimpleRNNLayer(units, options);
}
