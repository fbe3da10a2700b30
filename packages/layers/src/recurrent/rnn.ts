import {
  add,
  cast,
  clone,
  cumsum,
  dense,
  expandDims,
  greater,
  keep,
  mul,
  recurrentSequence,
  reshape,
  reverse,
  slice,
  stack,
  sub,
  zeros,
} from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, Layer, LayerConfig, LayerInput, LayerMask, LayerOptions } from '../layer';
import { ComposedLayer } from '../composed-layer';
import type { SymbolicTensor } from '../symbolic';
import { describeValue, formatShape } from '../shape';
import { RNNCellLayer, type CellDropout, type FusedCell } from './rnn-cell';
import { StackedRNNCellsLayer } from './stacked-rnn-cells';
// a cycle (the registry lists this class), used only inside fromConfig
import { deserializeLayer } from '../registry';

/** Options of `RNN` and of the recurrent layers built on it (Keras's names and defaults). */
export interface RNNOptions extends LayerOptions {
  /** Return the output of every step `[batch, steps, units]` rather than the last `[batch, units]`. Default false. */
  returnSequences?: boolean;
  /** Also return the final states: `[output, ...states]`. Default false. */
  returnState?: boolean;
  /** Process the sequence last step first (the output sequence is then reversed, as Keras). Default false. */
  goBackwards?: boolean;
  /**
   * Keep the final states of each batch as the initial states of the next (sample i of a batch
   * continues sample i of the one before); `resetStates()` starts over. Needs the same batch size
   * every call. Default false.
   */
  stateful?: boolean;
  /** Keras's graph-unrolling switch; accepted for compatibility, no effect here. Default false. */
  unroll?: boolean;
  /** Masked steps output zeros instead of repeating the previous output. Default false (Bidirectional sets it). */
  zeroOutputForMask?: boolean;
}

/** Keyword arguments of a recurrent layer's call: `initialState` gives the states to start from. */
export interface RNNCallKwargs extends CallKwargs {
  /** `[h0]`, or `[h0, c0]` for an LSTM (each `[batch, units]`); symbolic tensors in a functional model. */
  initialState?: Tensor[] | SymbolicTensor[];
}

const RNN_KEYS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'zeroOutputForMask'];

function bool(where: string, name: string, v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new Error(`${where}: ${name} must be a boolean, got ${describeValue(v)}`);
  return v;
}

/** A `[batch, 1, ..., 1]` view of a `[batch]` 0/1 column for values of rank `rank`. */
function column(keep: Tensor, rank: number): Tensor {
  return reshape(keep, [keep.shape[0], ...Array.from({ length: rank - 1 }, () => 1)]);
}

/** `keep ? next : prev` for a 0/1 column. */
function blend(keepCol: Tensor, next: Tensor, prev: Tensor): Tensor {
  return add(prev, mul(column(keepCol, next.rank), sub(next, prev)));
}

/** What one pass over a sequence gives. */
interface SequenceResult {
  /** `[batch, steps, ...]` outputs in processing order, when asked for. */
  sequence: Tensor | null;
  /** The output of the last step (with masks: the last one a real step made). */
  last: Tensor;
  states: Tensor[];
}

/**
 * A recurrent layer around any cell, as Keras's `RNN`: `RNN(LSTMCell(32))`,
 * `RNN([GRUCell(32), GRUCell(16)])` (a stack). Runs the cell over the time axis of
 * `[batch, steps, ...]` inputs; masked steps (a mask from Embedding/Masking, or `{ mask }`) keep
 * the states of the step before. Cells with a fused form (LSTM, GRU with `resetAfter`, simple RNN,
 * with tanh/sigmoid/relu/linear/hard_sigmoid activations and no recurrent dropout while training)
 * run as one op over the whole sequence; others step by step.
 */
export class RNNLayer extends ComposedLayer {
  static override readonly className: string = 'RNN';
  readonly cell: RNNCellLayer;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  zeroOutputForMask: boolean;
  /** Passes the mask on when it returns sequences (Keras's compute_mask). */
  override supportsMasking = true;
  private stateValues: Tensor[] | null = null;

  constructor(cell: RNNCellLayer | RNNCellLayer[], options: RNNOptions = {}, extraKeys: readonly string[] = []) {
    const o = options ?? {};
    super(o, [...RNN_KEYS, ...extraKeys]);
    const where = `${this}`;
    if (Array.isArray(cell)) this.cell = new StackedRNNCellsLayer(cell);
    else if (cell instanceof RNNCellLayer) this.cell = cell;
    else throw new Error(`${where}: expects a recurrent cell (LSTMCell(32), GRUCell, SimpleRNNCell, a list of them), got ${describeValue(cell)}`);
    this.returnSequences = bool(where, 'returnSequences', o.returnSequences);
    this.returnState = bool(where, 'returnState', o.returnState);
    this.goBackwards = bool(where, 'goBackwards', o.goBackwards);
    this.stateful = bool(where, 'stateful', o.stateful);
    this.unroll = bool(where, 'unroll', o.unroll);
    this.zeroOutputForMask = bool(where, 'zeroOutputForMask', o.zeroOutputForMask);
  }

  protected override sublayers(): Layer[] {
    return [this.cell];
  }

  /** A sequence, or `[sequence, ...initialStates]`. */
  protected override takesListFor(inputs: LayerInput): boolean {
    return Array.isArray(inputs);
  }

  /**
   * `layer.apply(x)`, `layer.apply(x, { initialState: [h0, c0] })` (symbolic tensors too: an
   * encoder's states starting a decoder), or `layer.apply([x, h0, c0])`.
   */
  override apply(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: RNNCallKwargs): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[], kwargs?: RNNCallKwargs): Tensor;
  override apply(inputs: LayerInput, kwargs?: RNNCallKwargs): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[];
  override apply(inputs: LayerInput, kwargs: RNNCallKwargs = {}): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[] {
    const { initialState, ...rest } = kwargs;
    if (initialState === undefined || initialState === null) return super.apply(inputs, rest);
    if (!Array.isArray(initialState)) throw new Error(`${this}: initialState must be a list of tensors ([h0] or [h0, c0]), got ${describeValue(initialState)}`);
    if (Array.isArray(inputs)) throw new Error(`${this}: give the initial states either in the input list or as initialState, not both`);
    const list = [inputs, ...initialState] as Tensor[] | SymbolicTensor[];
    // a mask given for the sequence alone covers the sequence
    const mask = rest.mask && !Array.isArray(rest.mask) ? [rest.mask, ...initialState.map(() => null)] : rest.mask;
    return super.apply(list, { ...rest, mask });
  }

  private sequenceShape(inputShape: Shape | Shape[]): Shape {
    return (Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : inputShape) as Shape;
  }

  /** The rank of the sequences this cell takes: 3 (`[batch, steps, features]`) for the dense cells. */
  protected get sequenceRank(): number {
    return 3;
  }

  private expectedShape(features: Shape | null): string {
    const tail = this.sequenceRank === 3 ? ['features'] : Array.from({ length: this.sequenceRank - 2 }, (_, i) => `d${i + 1}`);
    const shown = features ? features.map((d, i) => (d === null ? tail[i] : String(d))) : tail;
    return `[null, timesteps, ${shown.join(', ')}]`;
  }

  private checkSequence(s: Shape): void {
    if (s.length !== this.sequenceRank) throw new Error(`${this} expects input ${this.expectedShape(null)}, got ${formatShape(s)}`);
    const built = this.inputSpec?.[0]?.shape;
    if (built && s.some((d, i) => i >= 2 && d !== null && built[i] !== null && d !== built[i])) {
      throw new Error(`${this} expects input ${this.expectedShape(built.slice(2))}, got ${formatShape(s)}`);
    }
  }

  protected override assertInputCompatible(shapes: Shape[]): void {
    this.checkSequence(shapes[0]);
    const n = this.cell.stateSize.length;
    if (shapes.length > 1 && shapes.length - 1 !== n) {
      throw new Error(`${this} takes ${n} initial state(s), got ${shapes.length - 1}`);
    }
    shapes.slice(1).forEach((s, i) => {
      const want = this.cell.stateShape(i, shapes[0][0], [shapes[0][0], ...shapes[0].slice(2)]);
      if (s.length !== want.length || s.some((d, j) => d !== null && want[j] !== null && d !== want[j])) {
        throw new Error(`${this}: initial state ${i} must be ${formatShape(want)}, got ${formatShape(s)}`);
      }
    });
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = this.sequenceShape(inputShape);
    this.checkSequence(s);
    const step = [s[0], ...s.slice(2)];
    if (step.slice(1).some((d) => d === null)) throw new Error(`${this} needs the feature size of its input, got ${formatShape(s)}`);
    this.cell.weightScope = `${this.weightScope ?? this.name}/${this.cell.name}`;
    if (!this.cell.built) this.cell.build(step);
    this.inputSpec = [{ shape: [null, null, ...s.slice(2)] }];
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const s = this.sequenceShape(inputShape);
    const step: Shape = [s[0], ...s.slice(2)];
    const out = this.cell.stepOutputShape(step);
    const output: Shape = this.returnSequences ? [out[0], s[1], ...out.slice(1)] : out;
    if (!this.returnState) return output;
    return [output, ...this.cell.stateSize.map((_, i) => this.cell.stateShape(i, s[0], step))];
  }

  /** The output keeps the sequence's mask when it is a sequence; the states have none. */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | null): LayerMask | null {
    void inputs;
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const out = this.returnSequences ? m : null;
    if (!this.returnState) return out;
    return [out, ...this.cell.stateSize.map(() => null)];
  }

  override computeMaskPresence(inputMasked: boolean[], outputCount: number): boolean[] {
    return Array.from({ length: outputCount }, (_, i) => i === 0 && this.returnSequences && inputMasked[0] === true);
  }

  /** The sequence's mask as a `[batch, steps]` float tensor, checked. */
  private maskFor(x: Tensor, mask: LayerMask | null | undefined): Tensor | null {
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    if (!m) return null;
    const [b, t] = x.shape;
    if (m.rank !== 2 || m.shape[0] !== b || m.shape[1] !== t) {
      throw new Error(`${this} expects a mask [${b}, ${t}] (batch, timesteps) for input ${formatShape(x.shape)}, got ${formatShape(m.shape)}`);
    }
    return cast(m, 'float32');
  }

  private startStates(x: Tensor, given: Tensor[]): Tensor[] {
    const batch = x.shape[0];
    const step = [batch, ...x.shape.slice(2)];
    if (given.length > 0) {
      const n = this.cell.stateSize.length;
      if (given.length !== n) throw new Error(`${this} takes ${n} initial state(s), got ${given.length}`);
      given.forEach((s, i) => {
        const want = this.cell.stateShape(i, batch, step);
        if (s.rank !== want.length || s.shape.some((d, j) => d !== want[j])) {
          throw new Error(`${this}: initial state ${i} must be ${formatShape(want)}, got ${formatShape(s.shape)}`);
        }
      });
      return given.map((s) => (s.dtype === 'float32' ? s : cast(s, 'float32')));
    }
    if (!this.stateful) return this.cell.initialStates(batch, step);
    if (this.stateValues === null) {
      this.stateValues = this.cell.initialStates(batch, step).map((s) => keep(s));
    } else if (this.stateValues[0].shape[0] !== batch) {
      throw new Error(
        `${this} is stateful with batch size ${this.stateValues[0].shape[0]} (its states), got a batch of ${batch}; ` +
          'a stateful layer needs the same batch size every call (fit with that batchSize, a sample count divisible by it, shuffle false), or resetStates() between sizes',
      );
    }
    return this.stateValues;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const [x, ...given] = Array.isArray(inputs) ? inputs : [inputs];
    if (!this.built) this.build(x.shape);
    this.checkSequence(x.shape);
    const training = kwargs.training ?? false;
    const mask = this.maskFor(x, kwargs.mask);
    const init = this.startStates(x, given);
    const fused = this.cell.fused(training);
    const r = fused ? this.runFused(fused, x, init, mask, training) : this.runSteps(x, init, mask, training);
    if (this.stateful) this.keepStates(r.states);
    const output = this.returnSequences ? (r.sequence as Tensor) : r.last;
    return this.returnState ? [output, ...r.states] : output;
  }

  private keepStates(states: Tensor[]): void {
    const old = this.stateValues;
    this.stateValues = states.map((s) => keep(clone(s)));
    for (const s of old ?? []) if (!this.stateValues.includes(s)) s.dispose();
  }

  /** The step-by-step loop (any cell): Keras's `backend.rnn` with masks. */
  private runSteps(x: Tensor, init: Tensor[], mask: Tensor | null, training: boolean): SequenceResult {
    const [batch, steps] = x.shape;
    const stepShape = [batch, ...x.shape.slice(2)];
    const dropout: CellDropout | null = this.cell.dropoutMasks(stepShape, init[0].shape, training);
    let states = init;
    let prevOut: Tensor | null = null;
    const outs: Tensor[] = [];
    const context = { training, dropout };
    for (let s = 0; s < steps; s++) {
      const t = this.goBackwards ? steps - 1 - s : s;
      const xt = reshape(slice(x, [0, t, ...stepShape.slice(1).map(() => 0)], [batch, 1, ...stepShape.slice(1)]), stepShape);
      const r = this.cell.step(xt, states, context);
      let out = r.output;
      let next = r.states;
      if (mask) {
        const keepCol = reshape(slice(mask, [0, t], [batch, 1]), [batch]);
        out = this.zeroOutputForMask ? mul(out, column(keepCol, out.rank)) : blend(keepCol, out, prevOut ?? zeros(out.shape));
        next = next.map((n, i) => blend(keepCol, n, states[i]));
      }
      states = next;
      prevOut = out;
      if (this.returnSequences) outs.push(out);
    }
    return { sequence: this.returnSequences ? stack(outs, 1) : null, last: prevOut as Tensor, states };
  }

  /** The fused loop: one projection of every step, then `recurrentSequence`. */
  private runFused(f: FusedCell, x: Tensor, init: Tensor[], mask: Tensor | null, training: boolean): SequenceResult {
    const [batch, steps, features] = x.shape;
    const units = f.recurrentKernel.shape[0];
    const dropout = this.cell.dropoutMasks([batch, features], init[0].shape, training);
    const xd = dropout?.input ? mul(x, expandDims(dropout.input[0], 1)) : x;
    const xw = reshape(dense(reshape(xd, [batch * steps, features]), f.kernel, f.bias ?? undefined), [batch, steps, -1]);
    const r = recurrentSequence(f.cell, xw, f.recurrentKernel, init, {
      activation: f.activation,
      recurrentActivation: f.recurrentActivation,
      goBackwards: this.goBackwards,
      mask: mask ?? undefined,
      recurrentBias: f.recurrentBias ?? undefined,
    });
    const lastOf = (seq: Tensor) => reshape(slice(seq, [0, steps - 1, 0], [batch, 1, units]), [batch, units]);
    const states = [lastOf(r.h), ...(r.c ? [lastOf(r.c)] : [])];
    // Keras's masked outputs: a masked step repeats the previous output (zeros before the first
    // real step), or is zero with zeroOutputForMask; the states carry over either way
    let sequence = r.h;
    if (mask) {
      const processed = this.goBackwards ? reverse(mask, 1) : mask;
      const shown = this.zeroOutputForMask ? processed : cast(greater(cumsum(processed, 1), 0), 'float32');
      sequence = mul(r.h, expandDims(shown, 2));
    }
    if (r.c) r.c.dispose();
    return { sequence: this.returnSequences ? sequence : null, last: mask ? lastOf(sequence) : states[0], states };
  }

  /**
   * Start a stateful layer over: zero states, or `states` (`[h]` / `[h, c]`, `[batch, units]`,
   * copied). Keras's `reset_states()`.
   */
  resetStates(states?: Tensor[]): void {
    if (!this.stateful) throw new Error(`${this} is not stateful: resetStates() applies to layers made with { stateful: true }`);
    if (states !== undefined) {
      const n = this.cell.stateSize.length;
      if (!Array.isArray(states) || states.length !== n) throw new Error(`${this}.resetStates: expects ${n} state tensor(s), got ${describeValue(states)}`);
      this.keepStates(states);
      return;
    }
    if (this.stateValues === null) return;
    const batch = this.stateValues[0].shape[0];
    const shapes = this.stateValues.map((s) => s.shape);
    for (const s of this.stateValues) s.dispose();
    this.stateValues = shapes.map((sh) => keep(zeros(sh)));
    void batch;
  }

  /** Keras 3's name for `resetStates`. */
  resetState(states?: Tensor[]): void {
    this.resetStates(states);
  }

  /** The current states of a stateful layer (copies), or null before its first call. */
  get states(): Tensor[] | null {
    return this.stateValues ? this.stateValues.map((s) => clone(s)) : null;
  }

  override dispose(): void {
    for (const s of this.stateValues ?? []) s.dispose();
    this.stateValues = null;
    super.dispose();
  }

  /** The RNN options, Keras's keys. */
  protected rnnConfig(): LayerConfig {
    return {
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zeroOutputForMask: this.zeroOutputForMask,
    };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), ...this.rnnConfig(), cell: { className: this.cell.className, config: this.cell.getConfig() } };
  }

  static fromConfig(config: LayerConfig): RNNLayer {
    const { cell, ...rest } = config;
    if (typeof cell !== 'object' || cell === null) throw new Error(`RNN: config.cell must be a serialized cell, got ${describeValue(cell)}`);
    const made = deserializeLayer(cell as { className: string; config: LayerConfig });
    return new RNNLayer(made as RNNCellLayer, rest as RNNOptions);
  }
}

/** The type of what `RNN()` returns. */
export type RNN = RNNLayer;

/** A recurrent layer around a cell (or a list of cells, stacked): `RNN(LSTMCell(32), { returnSequences: true })`. */
export function RNN(cell: RNNCellLayer | RNNCellLayer[], options: RNNOptions = {}): RNN {
  return new RNNLayer(cell, options);
}
