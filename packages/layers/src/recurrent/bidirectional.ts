import { add, concat, div, mul, reverse } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, Layer, LayerConfig, LayerInput, LayerMask, LayerOptions, SerializedLayer } from '../layer';
import { ComposedLayer } from '../composed-layer';
import type { SymbolicTensor } from '../symbolic';
import { describeValue } from '../shape';
import { RNNLayer, type RNNCallKwargs } from './rnn';
// a cycle (the registry lists this class), used only when a layer is copied or rebuilt
import { deserializeLayer } from '../registry';
import { serializeLayer } from '../serialize-layer';

/** How `Bidirectional` joins the two directions; `null` returns both. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

const MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

/** Options of `Bidirectional`. */
export interface BidirectionalOptions extends LayerOptions {
  /** Default `'concat'` (the output has twice the units); `'sum'`, `'mul'`, `'ave'`, or `null` for `[forward, backward]`. */
  mergeMode?: MergeMode;
  /** The backward layer, when it must differ from a copy of the forward one (it must go backwards). */
  backwardLayer?: RNNLayer | null;
}

/** A copy of a recurrent layer through its config, renamed and changed by `overrides`. */
function copyOf(layer: RNNLayer, name: string, overrides: LayerConfig = {}): RNNLayer {
  const s = serializeLayer(layer);
  return deserializeLayer({ className: s.className, config: { ...s.config, name, ...overrides } }) as RNNLayer;
}

const strip = (name: string, prefix: string): string => (name.startsWith(prefix) ? name.slice(prefix.length) : name);

/**
 * Keras's `Bidirectional`: runs a recurrent layer over the sequence forwards and a copy of it
 * backwards, and merges them: `Bidirectional(LSTM(64))` gives `[batch, 128]`. The forward layer
 * is a copy of the one given (named `forward_<name>`), the backward one a copy with `goBackwards`
 * (`backward_<name>`); weights are the forward layer's, then the backward layer's. With
 * `returnSequences`, the backward sequence is flipped back before the merge, masked steps output
 * zeros, and the output keeps the input's mask.
 */
export class BidirectionalLayer extends ComposedLayer {
  static override readonly className: string = 'Bidirectional';
  readonly forwardLayer: RNNLayer;
  readonly backwardLayer: RNNLayer;
  readonly mergeMode: MergeMode;
  override supportsMasking = true;

  constructor(layer: RNNLayer, options: BidirectionalOptions = {}) {
    const o = options ?? {};
    // the wrapped layer may carry the input shape (Keras: Bidirectional(LSTM(8, input_shape=...)))
    const inherited = o.inputShape === undefined && o.batchInputShape === undefined ? ((layer as Partial<RNNLayer> | null)?.batchInputShape ?? undefined) : undefined;
    super(inherited ? { ...o, batchInputShape: inherited } : o, ['mergeMode', 'backwardLayer']);
    if (!(layer instanceof RNNLayer)) {
      throw new Error(`${this}: expects a recurrent layer (LSTM, GRU, SimpleRNN, RNN), got ${describeValue(layer)}`);
    }
    const mode = o.mergeMode === undefined ? 'concat' : o.mergeMode;
    if (!MODES.includes(mode)) throw new Error(`${this}: mergeMode must be one of 'concat', 'sum', 'mul', 'ave' or null, got ${describeValue(mode)}`);
    this.mergeMode = mode;
    this.forwardLayer = copyOf(layer, `forward_${strip(layer.name, 'forward_')}`);
    const given = o.backwardLayer ?? null;
    if (given !== null && !(given instanceof RNNLayer)) throw new Error(`${this}: backwardLayer must be a recurrent layer, got ${describeValue(given)}`);
    this.backwardLayer = given ?? copyOf(layer, `backward_${strip(layer.name, 'backward_')}`, { goBackwards: !layer.goBackwards });
    const [f, b] = [this.forwardLayer, this.backwardLayer];
    if (f.goBackwards === b.goBackwards) throw new Error(`${this}: the forward and backward layers must differ in goBackwards, both have ${f.goBackwards}`);
    for (const a of ['stateful', 'returnSequences', 'returnState'] as const) {
      if (f[a] !== b[a]) throw new Error(`${this}: the forward and backward layers must agree on ${a}, got ${f[a]} and ${b[a]}`);
    }
    // as Keras: masked steps of a returned sequence are zeros in both directions
    f.zeroOutputForMask = f.returnSequences;
    b.zeroOutputForMask = b.returnSequences;
  }

  protected override sublayers(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  get returnSequences(): boolean {
    return this.forwardLayer.returnSequences;
  }

  get returnState(): boolean {
    return this.forwardLayer.returnState;
  }

  protected override takesListFor(inputs: LayerInput): boolean {
    return Array.isArray(inputs);
  }

  /** `apply(x)`, or `apply(x, { initialState: [...forwardStates, ...backwardStates] })`. */
  override apply(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: RNNCallKwargs): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[], kwargs?: RNNCallKwargs): Tensor;
  override apply(inputs: LayerInput, kwargs?: RNNCallKwargs): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[];
  override apply(inputs: LayerInput, kwargs: RNNCallKwargs = {}): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[] {
    const { initialState, ...rest } = kwargs;
    if (!initialState) return super.apply(inputs, rest);
    if (Array.isArray(inputs)) throw new Error(`${this}: give the initial states either in the input list or as initialState, not both`);
    const mask = rest.mask && !Array.isArray(rest.mask) ? [rest.mask, ...initialState.map(() => null)] : rest.mask;
    return super.apply([inputs, ...initialState] as Tensor[] | SymbolicTensor[], { ...rest, mask });
  }

  override build(inputShape: Shape | Shape[]): void {
    for (const l of [this.forwardLayer, this.backwardLayer]) {
      l.weightScope = `${this.name}/${l.name}`;
      if (!l.built) l.build(inputShape);
    }
    this.built = true;
  }

  protected override assertInputCompatible(shapes: Shape[]): void {
    const n = this.forwardLayer.cell.stateSize.length;
    if (shapes.length > 1 && shapes.length - 1 !== 2 * n) {
      throw new Error(`${this} takes ${2 * n} initial states (the forward layer's, then the backward layer's), got ${shapes.length - 1}`);
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const seq = (Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : inputShape) as Shape;
    const f = this.forwardLayer.computeOutputShape(seq);
    const [out, ...states] = this.returnState ? (f as Shape[]) : [f as Shape];
    const merged: Shape[] =
      this.mergeMode === 'concat'
        ? [[...out.slice(0, -1), out[out.length - 1] === null ? null : 2 * (out[out.length - 1] as number)]]
        : this.mergeMode === null
          ? [out, out]
          : [out];
    const all = [...merged, ...states, ...states];
    return all.length === 1 ? all[0] : all;
  }

  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | null): LayerMask | null {
    void inputs;
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const out = this.returnSequences ? m : null;
    const outs = this.mergeMode === null ? [out, out] : [out];
    const states = this.returnState ? this.forwardLayer.cell.stateSize.flatMap(() => [null, null]) : [];
    return outs.length + states.length === 1 ? out : [...outs, ...states];
  }

  override computeMaskPresence(inputMasked: boolean[], outputCount: number): boolean[] {
    const on = this.returnSequences && inputMasked[0] === true;
    const n = this.mergeMode === null ? 2 : 1;
    return Array.from({ length: outputCount }, (_, i) => i < n && on);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const [x, ...init] = Array.isArray(inputs) ? inputs : [inputs];
    const m = Array.isArray(kwargs.mask) ? (kwargs.mask[0] ?? null) : (kwargs.mask ?? null);
    const kw: CallKwargs = { training: kwargs.training, ...(m ? { mask: m } : {}) };
    const half = init.length / 2;
    const run = (l: RNNLayer, states: Tensor[]): Tensor[] => {
      const out = l.call(states.length > 0 ? [x, ...states] : x, kw);
      return Array.isArray(out) ? out : [out];
    };
    const [y, ...fStates] = run(this.forwardLayer, init.slice(0, half));
    const [yb, ...bStates] = run(this.backwardLayer, init.slice(half));
    const yr = this.returnSequences ? reverse(yb, 1) : yb;
    let merged: Tensor[];
    switch (this.mergeMode) {
      case 'concat':
        merged = [concat([y, yr], -1)];
        break;
      case 'sum':
        merged = [add(y, yr)];
        break;
      case 'mul':
        merged = [mul(y, yr)];
        break;
      case 'ave':
        merged = [div(add(y, yr), 2)];
        break;
      default:
        merged = [y, yr];
    }
    const all = [...merged, ...fStates, ...bStates];
    return all.length === 1 ? all[0] : all;
  }

  /** Start both directions of a stateful layer over. */
  resetStates(): void {
    this.forwardLayer.resetStates();
    this.backwardLayer.resetStates();
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      mergeMode: this.mergeMode,
      layer: serializeLayer(this.forwardLayer) as unknown as LayerConfig,
      backwardLayer: serializeLayer(this.backwardLayer) as unknown as LayerConfig,
    };
  }

  static fromConfig(config: LayerConfig): BidirectionalLayer {
    const { layer, backwardLayer, ...rest } = config;
    const read = (s: unknown, what: string): RNNLayer => {
      if (typeof s !== 'object' || s === null) throw new Error(`Bidirectional: config.${what} must be a serialized recurrent layer, got ${describeValue(s)}`);
      return deserializeLayer(s as SerializedLayer) as RNNLayer;
    };
    const backward = backwardLayer === undefined || backwardLayer === null ? null : read(backwardLayer, 'backwardLayer');
    return new BidirectionalLayer(read(layer, 'layer'), { ...(rest as BidirectionalOptions), backwardLayer: backward });
  }
}

/** The type of what `Bidirectional()` returns. */
export type Bidirectional = BidirectionalLayer;

/** `Bidirectional(LSTM(64, { returnSequences: true }), { mergeMode: 'concat' })`. */
export function Bidirectional(layer: RNNLayer, options: BidirectionalOptions = {}): Bidirectional {
  return new BidirectionalLayer(layer, options);
}
