import { abs, einsum, expandDims, less, mul, range, reshape, sub } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig } from '../layer';
import { describeValue } from '../shape';
import type { AttentionKwargs } from './attention-ops';
import { andMasks, causalMask, dropoutWeights, expandMask, inputMasks, maskedSoftmax } from './attention-ops';
import { ProjectedAttentionLayer } from './projected-attention';
import type { ProjectedAttentionOptions, Projection } from './projected-attention';

/** Options of `MultiHeadAttention` (Keras's names and defaults). */
export interface MultiHeadAttentionOptions extends ProjectedAttentionOptions {
  /** Number of heads. Required. */
  numHeads?: number;
  /** Size of each head for query and key. Required. */
  keyDim?: number;
  /** Size of each head for value (default keyDim). */
  valueDim?: number | null;
  /** Last dimensions of the output (default: the query's last dimension). */
  outputShape?: number | number[] | null;
  /** Axes attention runs over (default: every axis but batch, heads and features). */
  attentionAxes?: number | number[] | null;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Keras's `_build_proj_equation`. */
function projEquation(freeDims: number, boundDims: number, outputDims: number): { equation: string; biasAxes: string; outputRank: number } {
  let input = '';
  let kernel = '';
  let output = '';
  let bias = '';
  let k = 0;
  for (let i = 0; i < freeDims; i++, k++) {
    input += LETTERS[k];
    output += LETTERS[k];
  }
  for (let i = 0; i < boundDims; i++, k++) {
    input += LETTERS[k];
    kernel += LETTERS[k];
  }
  for (let i = 0; i < outputDims; i++, k++) {
    kernel += LETTERS[k];
    output += LETTERS[k];
    bias += LETTERS[k];
  }
  return { equation: `${input},${kernel}->${output}`, biasAxes: bias, outputRank: output.length };
}

/** Keras's `_build_attention_equation`. */
function attentionEquations(rank: number, attnAxes: number[]): { dot: string; combine: string; scoresRank: number } {
  const target = LETTERS.slice(0, rank);
  const batchDims = Array.from({ length: rank }, (_, i) => i).filter((i) => !attnAxes.includes(i) && i !== rank - 1);
  let offset = rank;
  let source = '';
  for (let i = 0; i < rank; i++) {
    if (batchDims.includes(i) || i === rank - 1) source += target[i];
    else source += LETTERS[offset++];
  }
  const product = [...batchDims.map((i) => target[i]), ...attnAxes.map((i) => target[i]), ...attnAxes.map((i) => source[i])].join('');
  return { dot: `${source},${target}->${product}`, combine: `${product},${source}->${target}`, scoresRank: product.length };
}

const withNulls = (rank: number, known: number[]): Shape => [...Array.from({ length: rank - known.length }, () => null), ...known];

/**
 * Multi-head attention, as Keras's `MultiHeadAttention`: einsum projections of query, key and
 * value into `numHeads` heads (kernels `[dim, numHeads, keyDim]`, biases `[numHeads, keyDim]`,
 * output kernel `[numHeads, valueDim, dim]`), scaled dot-product attention over `attentionAxes`
 * with Keras's masks (`attentionMask`, `useCausalMask`, the inputs' masks), dropout on the
 * weights, and the output projection. `mha.apply([query, value])`, `[query, value, key]`;
 * `{ returnAttentionScores: true }` gives `[output, scores]`.
 */
export class MultiHeadAttentionLayer extends ProjectedAttentionLayer {
  static override readonly className: string = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly outputShapeOption: number[] | null;
  attentionAxes: number[] | null;
  private readonly givenAxes: number[] | null;
  private q: Projection | null = null;
  private k: Projection | null = null;
  private v: Projection | null = null;
  private gate: Projection | null = null;
  private o: Projection | null = null;
  private dot = '';
  private combine = '';
  private normAxes = 1;

  constructor(options: MultiHeadAttentionOptions = {}) {
    super(options, ['numHeads', 'keyDim', 'valueDim', 'outputShape', 'attentionAxes']);
    const posInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
    if (!posInt(options.numHeads)) throw new Error(`${this}: numHeads must be a positive integer, got ${describeValue(options.numHeads)}`);
    if (!posInt(options.keyDim)) throw new Error(`${this}: keyDim must be a positive integer, got ${describeValue(options.keyDim)}`);
    if (options.valueDim != null && !posInt(options.valueDim)) throw new Error(`${this}: valueDim must be a positive integer or null, got ${describeValue(options.valueDim)}`);
    this.numHeads = options.numHeads as number;
    this.keyDim = options.keyDim as number;
    this.valueDim = options.valueDim ?? this.keyDim;
    const os = options.outputShape ?? null;
    if (os !== null && !(posInt(os) || (Array.isArray(os) && os.every(posInt)))) throw new Error(`${this}: outputShape must be a positive integer, a list of them or null, got ${describeValue(os)}`);
    this.outputShapeOption = os === null ? null : typeof os === 'number' ? [os] : [...os];
    const ax = options.attentionAxes ?? null;
    if (ax !== null && !(Number.isInteger(ax) || (Array.isArray(ax) && ax.every((a) => Number.isInteger(a))))) throw new Error(`${this}: attentionAxes must be an integer, a list of them or null, got ${describeValue(ax)}`);
    this.givenAxes = ax === null ? null : typeof ax === 'number' ? [ax] : [...ax];
    this.attentionAxes = this.givenAxes ? [...this.givenAxes] : null;
  }

  override build(inputShape: Shape | Shape[]): void {
    const { q, v, k } = this.checkShapes(inputShape as Shape[]);
    const qp = projEquation(q.length - 1, 1, 2);
    this.q = this.addProjection('query', qp.equation, qp.biasAxes, q, withNulls(qp.outputRank - 1, [this.numHeads, this.keyDim]));
    const kp = projEquation(k.length - 1, 1, 2);
    this.k = this.addProjection('key', kp.equation, kp.biasAxes, k, withNulls(kp.outputRank - 1, [this.numHeads, this.keyDim]));
    if (this.useGate) this.gate = this.addProjection('gate', qp.equation, qp.biasAxes, q, withNulls(qp.outputRank - 1, [this.numHeads, this.valueDim]), 'sigmoid');
    const vp = projEquation(v.length - 1, 1, 2);
    this.v = this.addProjection('value', vp.equation, vp.biasAxes, v, withNulls(vp.outputRank - 1, [this.numHeads, this.valueDim]));
    const rank = vp.outputRank;
    const axes = this.givenAxes ? this.givenAxes.map((a) => (a >= 0 ? a : rank - 1 + a)) : Array.from({ length: rank - 3 }, (_, i) => i + 1);
    this.attentionAxes = axes;
    const eqs = attentionEquations(rank, axes);
    this.dot = eqs.dot;
    this.combine = eqs.combine;
    this.normAxes = axes.length;
    const outShape = this.outputShapeOption ?? [q[q.length - 1] as number];
    const op = projEquation(q.length - 1, 2, outShape.length);
    const oIn: Shape = [...q.slice(0, -1), this.numHeads, this.valueDim];
    this.o = this.addProjection('attention_output', op.equation, op.biasAxes, oIn, withNulls(op.outputRank - 1, outShape));
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const kw = kwargs as AttentionKwargs;
    const { query, value, key, keyGiven, attentionMask } = this.unpack(inputs, kw);
    const [qMask, vMask, kMask] = inputMasks(kw);
    const T = query.shape[1] as number;
    const S = value.shape[1] as number;
    // Keras's _compute_attention_mask: query [B,T,1] & value [B,1,S] & key & causal & window & given
    const band = this.slidingWindow !== null ? expandDims(less(abs(sub(expandDims(range(0, T, 1, 'int32'), 1), expandDims(range(0, S, 1, 'int32'), 0))), this.slidingWindow), 0) : null;
    const mask = andMasks(
      attentionMask,
      qMask ? queryMaskShape(qMask, this.normAxes) : null,
      vMask ? valueMaskShape(vMask, this.normAxes) : null,
      keyGiven && kMask ? valueMaskShape(kMask, this.normAxes) : null,
      kw.useCausalMask ? causalMask(T, S) : null,
      band,
    );
    const gate = this.gate ? this.project(query, this.gate) : null;
    const q = mul(this.project(query, this.q as Projection), 1 / Math.sqrt(this.keyDim));
    const k = this.project(key, this.k as Projection);
    const v = this.project(value, this.v as Projection);
    const scores = einsum(this.dot, k, q);
    const m = mask ? expandMask(mask, scores.rank, -this.normAxes * 2 - 1) : null;
    const weights = maskedSoftmax(scores, m, this.normAxes);
    const dropped = dropoutWeights(weights, this.dropout, kw.training, this.rng);
    let out = einsum(this.combine, dropped, v);
    if (gate) out = mul(out, gate);
    const y = this.project(out, this.o as Projection);
    return kw.returnAttentionScores ? [y, weights] : y;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const { q, v } = this.checkShapes(inputShape as Shape[]);
    const out: Shape = this.outputShapeOption ? [...q.slice(0, -1), ...this.outputShapeOption] : [...q];
    if (!this.recording.returnAttentionScores) return out;
    const rank = q.length + 1;
    const axes = this.givenAxes ? this.givenAxes.map((a) => (a >= 0 ? a : rank - 1 + a)) : Array.from({ length: rank - 3 }, (_, i) => i + 1);
    const batch = Array.from({ length: q.length - 1 }, (_, i) => i).filter((i) => !axes.includes(i));
    return [out, [...batch.map((i) => q[i]), this.numHeads, ...axes.map((i) => q[i]), ...axes.map((i) => v[i])]];
  }

  override getConfig(): LayerConfig {
    return {
      ...this.baseConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      outputShape: this.outputShapeOption ? [...this.outputShapeOption] : null,
      attentionAxes: this.givenAxes ? [...this.givenAxes] : null,
    };
  }

  static fromConfig(config: LayerConfig): MultiHeadAttentionLayer {
    return new MultiHeadAttentionLayer(config as MultiHeadAttentionOptions);
  }
}

/** The type of what `MultiHeadAttention()` returns. */
export type MultiHeadAttention = MultiHeadAttentionLayer;

/** `MultiHeadAttention({ numHeads: 4, keyDim: 16 })`, applied as `mha.apply([query, value])`. */
export function MultiHeadAttention(options: MultiHeadAttentionOptions = {}): MultiHeadAttention {
  return new MultiHeadAttentionLayer(options);
}

/**
 * A query mask `[B, ...q]` as `[B, ...q, 1 × n]` (Keras's `[B, T, 1]` for one attention axis),
 * so it broadcasts over the n value axes of the scores.
 */
function queryMaskShape(m: Tensor, n: number): Tensor {
  return reshape(m, [...m.shape, ...Array.from({ length: n }, () => 1)]);
}

/** A value (or key) mask `[B, ..., ...s]` as `[B, ..., 1 × n, ...s]` (Keras's `[B, 1, S]` for one axis). */
function valueMaskShape(m: Tensor, n: number): Tensor {
  const cut = m.rank - n;
  return reshape(m, [...m.shape.slice(0, cut), ...Array.from({ length: n }, () => 1), ...m.shape.slice(cut)]);
}
