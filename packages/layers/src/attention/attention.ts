import { expandDims, matMul, mul, SeedGenerator, sum, tanh, transpose, where, zerosLike, add } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerInput, LayerOptions, LayerVariable } from '../layer';
import { Layer } from '../layer';
import { describeValue, formatShape } from '../shape';
import type { SymbolicTensor } from '../symbolic';
import type { AttentionKwargs } from './attention-ops';
import { andMasks, asBool, causalMask, dropoutWeights, inputMasks } from './attention-ops';

/** Options of `Attention` (Keras's names and defaults). */
export interface AttentionOptions extends LayerOptions {
  /** A learned scalar scale of the scores. Default false. */
  useScale?: boolean;
  /** `'dot'` (default) or `'concat'` scores. */
  scoreMode?: 'dot' | 'concat';
  /** Dropout rate on the attention weights. Default 0. */
  dropout?: number;
  seed?: number | null;
}

// Keras's subtraction for masked scores (`scores - 1e9` where masked).
const MAX_VALUE = 1e9;

/**
 * The base of Keras's `Attention` and `AdditiveAttention`: scores of [query, value, key?]
 * (`[batch, Tq, dim]`, `[batch, Tv, dim]`), the value mask and causal mask applied as Keras
 * does (masked scores lowered by 1e9), softmax, dropout, the weighted sum of values, and the
 * query mask zeroing masked query steps.
 */
export abstract class BaseDenseAttentionLayer extends Layer {
  readonly useScale: boolean;
  readonly dropout: number;
  readonly seed: number | null;
  /** The layer's own stream of dropout masks (from `seed`, else derived from the global seed). */
  protected readonly rng: SeedGenerator;
  scale: LayerVariable | null = null;
  /** Input masks are used (query, value) and the query's is passed on. */
  supportsMasking = true;
  private recording: AttentionKwargs = {};

  constructor(options: AttentionOptions, extraKeys: readonly string[]) {
    super(options, ['useScale', 'dropout', 'seed', ...extraKeys]);
    const d = options.dropout ?? 0;
    if (typeof d !== 'number' || !(d >= 0 && d < 1)) throw new Error(`${this}: dropout must be a number in [0, 1), got ${describeValue(d)}`);
    this.useScale = options.useScale ?? false;
    this.dropout = d;
    this.seed = options.seed ?? null;
    this.rng = new SeedGenerator(this.seed);
  }

  protected override get takesList(): boolean {
    return true;
  }

  /** The output's mask is the query's (Keras's `compute_mask`); the scores have none. */
  computeMask(inputs: Tensor | Tensor[], mask: Tensor | (Tensor | null)[] | null): Tensor | (Tensor | null)[] | null {
    void inputs;
    const q = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    return this.recording.returnAttentionScores ? [q, null] : q;
  }

  /** Symbolic counterpart of `computeMask`: the output is masked when the query is. */
  computeMaskPresence(inputMasked: boolean[], outputCount: number): boolean[] {
    return Array.from({ length: outputCount }, (_, i) => i === 0 && (inputMasked[0] ?? false));
  }

  /** Scores `[batch, Tq, Tv]` of query and key. */
  protected abstract scores(query: Tensor, key: Tensor): Tensor;

  /** `layer.apply([query, value])` or `[query, value, key]`, with `{ returnAttentionScores, useCausalMask }`. */
  override apply(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: AttentionKwargs): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[], kwargs?: AttentionKwargs): Tensor;
  override apply(inputs: LayerInput, kwargs?: AttentionKwargs): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[];
  override apply(inputs: LayerInput, kwargs: AttentionKwargs = {}): Tensor | SymbolicTensor | Tensor[] | SymbolicTensor[] {
    if (!Array.isArray(inputs) || inputs.length < 2 || inputs.length > 3) {
      throw new Error(`${this} expects a list [query, value] or [query, value, key], got ${Array.isArray(inputs) ? `a list of ${inputs.length}` : 'a single input'}`);
    }
    this.recording = kwargs;
    try {
      return super.apply(inputs, kwargs as CallKwargs);
    } finally {
      this.recording = {};
    }
  }

  protected checkShapes(shapes: Shape[]): void {
    const [q, v] = shapes;
    const k = shapes[2] ?? v;
    if (q.length < 2 || v.length < 2 || k.length !== v.length) throw new Error(`${this} expects query, value (and key) of rank >= 2, got ${shapes.map(formatShape).join(', ')}`);
    if (q[q.length - 1] !== null && k[k.length - 1] !== null && q[q.length - 1] !== k[k.length - 1]) {
      throw new Error(`${this}: query and key must have the same last dimension, got ${formatShape(q)} and ${formatShape(k)}`);
    }
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const kw = kwargs as AttentionKwargs;
    const xs = inputs as Tensor[];
    const [q, v] = xs;
    const k = xs[2] ?? v;
    const [qMask, vMask] = inputMasks(kw);
    let s = this.scores(q, k);
    const Tq = s.shape[s.rank - 2];
    const Tv = s.shape[s.rank - 1];
    const scoresMask = andMasks(vMask ? expandDims(vMask, -2) : null, kw.useCausalMask ? causalMask(Tq, Tv) : null);
    if (scoresMask) s = where(scoresMask, s, add(s, -MAX_VALUE));
    const weights = s.softmax();
    const dropped = dropoutWeights(weights, this.dropout, kw.training, this.rng);
    let out = matMul(dropped, v);
    if (qMask) out = where(expandDims(asBool(qMask), -1), out, zerosLike(out));
    return kw.returnAttentionScores ? [out, weights] : out;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = inputShape as Shape[];
    this.checkShapes(shapes);
    const [q, v] = shapes;
    const k = shapes[2] ?? v;
    const out: Shape = [...q.slice(0, -1), v[v.length - 1]];
    return this.recording.returnAttentionScores ? [out, [...q.slice(0, -1), k[k.length - 2]]] : out;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), useScale: this.useScale, dropout: this.dropout, seed: this.seed };
  }
}

/**
 * Dot-product attention, as Keras's `Attention` (Luong style): scores `query · keyᵀ` (times a
 * learned scalar with `useScale`), or with `scoreMode: 'concat'` `Σ tanh(scale · (q + k))` times a
 * learned scalar. Weights: scalar `scale` (useScale), then `concat_score_weight` (concat).
 */
export class AttentionLayer extends BaseDenseAttentionLayer {
  static override readonly className: string = 'Attention';
  readonly scoreMode: 'dot' | 'concat';
  concatScoreWeight: LayerVariable | null = null;

  constructor(options: AttentionOptions = {}) {
    super(options, ['scoreMode']);
    const m = options.scoreMode ?? 'dot';
    if (m !== 'dot' && m !== 'concat') throw new Error(`${this}: scoreMode must be 'dot' or 'concat', got ${describeValue(m)}`);
    this.scoreMode = m;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.checkShapes(inputShape as Shape[]);
    if (this.useScale) this.scale = this.addWeight('scale', [], 'ones');
    if (this.scoreMode === 'concat') this.concatScoreWeight = this.addWeight('concat_score_weight', [], 'ones');
    this.built = true;
  }

  protected scores(query: Tensor, key: Tensor): Tensor {
    if (this.scoreMode === 'dot') {
      const s = matMul(query, transpose(key, [...Array.from({ length: key.rank - 2 }, (_, i) => i), key.rank - 1, key.rank - 2]));
      return this.scale ? mul(s, this.scale) : s;
    }
    const sum4 = add(expandDims(query, -2), expandDims(key, -3));
    const t = tanh(this.scale ? mul(this.scale, sum4) : sum4);
    return mul(this.concatScoreWeight as Tensor, sum(t, -1));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), scoreMode: this.scoreMode };
  }

  static fromConfig(config: LayerConfig): AttentionLayer {
    return new AttentionLayer(config as AttentionOptions);
  }
}

/**
 * Additive (Bahdanau-style) attention, as Keras's `AdditiveAttention`: scores
 * `Σ scale · tanh(q + k)` over the last axis, with a learned `scale` vector `[dim]` when
 * `useScale` (default true).
 */
export class AdditiveAttentionLayer extends BaseDenseAttentionLayer {
  static override readonly className: string = 'AdditiveAttention';

  constructor(options: Omit<AttentionOptions, 'scoreMode'> = {}) {
    super({ ...options, useScale: options.useScale ?? true }, []);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shapes = inputShape as Shape[];
    this.checkShapes(shapes);
    const dim = shapes[0][shapes[0].length - 1];
    if (dim === null) throw new Error(`${this} needs a known last dimension, got ${formatShape(shapes[0])}`);
    if (this.useScale) this.scale = this.addWeight('scale', [dim], 'glorot_uniform');
    this.built = true;
  }

  protected scores(query: Tensor, key: Tensor): Tensor {
    const t = tanh(add(expandDims(query, -2), expandDims(key, -3)));
    return sum(this.scale ? mul(this.scale, t) : t, -1);
  }

  static fromConfig(config: LayerConfig): AdditiveAttentionLayer {
    return new AdditiveAttentionLayer(config as AttentionOptions);
  }
}

/** The type of what `Attention()` returns. */
export type Attention = AttentionLayer;
/** The type of what `AdditiveAttention()` returns. */
export type AdditiveAttention = AdditiveAttentionLayer;

/** `Attention()` applied as `attention.apply([query, value])`. */
export function Attention(options: AttentionOptions = {}): Attention {
  return new AttentionLayer(options);
}

/** `AdditiveAttention()` applied as `attention.apply([query, value])`. */
export function AdditiveAttention(options: Omit<AttentionOptions, 'scoreMode'> = {}): AdditiveAttention {
  return new AdditiveAttentionLayer(options);
}
