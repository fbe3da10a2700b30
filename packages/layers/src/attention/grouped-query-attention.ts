import { abs, einsum, expandDims, gather, less, mul, range, sub, tensor1d } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig } from '../layer';
import { describeValue } from '../shape';
import type { AttentionKwargs } from './attention-ops';
import { andMasks, causalMask, dropoutWeights, expandMask, inputMasks, maskedSoftmax } from './attention-ops';
import { ProjectedAttentionLayer } from './projected-attention';
import type { ProjectedAttentionOptions, Projection } from './projected-attention';

/** Options of `GroupedQueryAttention` (Keras's names and defaults). */
export interface GroupedQueryAttentionOptions extends ProjectedAttentionOptions {
  /** Size of each head. Required. */
  headDim?: number;
  /** Number of query heads. Required. */
  numQueryHeads?: number;
  /** Number of key/value heads; divides numQueryHeads. Required. */
  numKeyValueHeads?: number;
}

// np.repeat along axis 2 of [b, s, heads, dim]: each head `r` times in a row (a gather, whose
// gradient sums the copies back).
function repeatHeads(x: Tensor, r: number): Tensor {
  if (r === 1) return x;
  const h = x.shape[2] as number;
  return gather(x, tensor1d(Array.from({ length: h * r }, (_, i) => Math.floor(i / r)), 'int32'), 2);
}

/**
 * Grouped-query attention, as Keras's `GroupedQueryAttention`: `numQueryHeads` query heads share
 * `numKeyValueHeads` key/value heads (each repeated `numQueryHeads / numKeyValueHeads` times).
 * Kernels: query `[dim, numQueryHeads, headDim]`, key and value `[dim, numKeyValueHeads,
 * headDim]`, output `[numQueryHeads, headDim, dim]`. Inputs `[batch, T, dim]`.
 */
export class GroupedQueryAttentionLayer extends ProjectedAttentionLayer {
  static override readonly className: string = 'GroupedQueryAttention';
  readonly headDim: number;
  readonly numQueryHeads: number;
  readonly numKeyValueHeads: number;
  private q: Projection | null = null;
  private k: Projection | null = null;
  private v: Projection | null = null;
  private gate: Projection | null = null;
  private o: Projection | null = null;

  constructor(options: GroupedQueryAttentionOptions = {}) {
    super(options, ['headDim', 'numQueryHeads', 'numKeyValueHeads']);
    const posInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
    for (const k of ['headDim', 'numQueryHeads', 'numKeyValueHeads'] as const) {
      if (!posInt(options[k])) throw new Error(`${this}: ${k} must be a positive integer, got ${describeValue(options[k])}`);
    }
    this.headDim = options.headDim as number;
    this.numQueryHeads = options.numQueryHeads as number;
    this.numKeyValueHeads = options.numKeyValueHeads as number;
    if (this.numQueryHeads % this.numKeyValueHeads !== 0) {
      throw new Error(`${this}: numQueryHeads (${this.numQueryHeads}) must be divisible by numKeyValueHeads (${this.numKeyValueHeads})`);
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const { q, v, k } = this.checkShapes(inputShape as Shape[]);
    if (q.length !== 3) throw new Error(`${this} expects inputs [batch, T, dim], got query of rank ${q.length}`);
    const dim = q[2] as number;
    this.q = this.addProjection('query', 'bqm,muh->bquh', 'uh', q, [null, this.numQueryHeads, this.headDim]);
    this.k = this.addProjection('key', 'bkm,mvh->bkvh', 'vh', k, [null, this.numKeyValueHeads, this.headDim]);
    if (this.useGate) this.gate = this.addProjection('gate', 'bqm,muh->bquh', 'uh', q, [null, this.numQueryHeads, this.headDim], 'sigmoid');
    this.v = this.addProjection('value', 'bkm,mvh->bkvh', 'vh', v, [null, this.numKeyValueHeads, this.headDim]);
    this.o = this.addProjection('attention_output', 'bquh,uhm->bqm', 'm', [null, null, this.numQueryHeads, this.headDim], [null, dim]);
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const kw = kwargs as AttentionKwargs;
    const { query, value, key, keyGiven, attentionMask } = this.unpack(inputs, kw);
    const [qMask, vMask, kMask] = inputMasks(kw);
    const T = query.shape[1] as number;
    const S = value.shape[1] as number;
    const band = this.slidingWindow !== null ? expandDims(less(abs(sub(expandDims(range(0, T, 1, 'int32'), 1), expandDims(range(0, S, 1, 'int32'), 0))), this.slidingWindow), 0) : null;
    const mask = andMasks(
      attentionMask,
      qMask ? expandDims(qMask, -1) : null,
      vMask ? expandDims(vMask, -2) : null,
      keyGiven && kMask ? expandDims(kMask, -2) : null,
      kw.useCausalMask ? causalMask(T, S) : null,
      band,
    );
    const gate = this.gate ? this.project(query, this.gate) : null;
    const r = this.numQueryHeads / this.numKeyValueHeads;
    const q = mul(this.project(query, this.q as Projection), 1 / Math.sqrt(this.headDim));
    const k = repeatHeads(this.project(key, this.k as Projection), r);
    const v = repeatHeads(this.project(value, this.v as Projection), r);
    const scores = einsum('bquh,bkuh->buqk', q, k);
    const weights = maskedSoftmax(scores, mask ? expandMask(mask, 4, -3) : null);
    let out = einsum('buqk,bkuh->bquh', dropoutWeights(weights, this.dropout, kw.training, this.rng), v);
    if (gate) out = mul(out, gate);
    const y = this.project(out, this.o as Projection);
    return kw.returnAttentionScores ? [y, weights] : y;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const { q, v } = this.checkShapes(inputShape as Shape[]);
    if (!this.recording.returnAttentionScores) return [...q];
    return [[...q], [q[0], this.numQueryHeads, q[1], v[1]]];
  }

  override getConfig(): LayerConfig {
    return { ...this.baseConfig(), headDim: this.headDim, numQueryHeads: this.numQueryHeads, numKeyValueHeads: this.numKeyValueHeads };
  }

  static fromConfig(config: LayerConfig): GroupedQueryAttentionLayer {
    return new GroupedQueryAttentionLayer(config as GroupedQueryAttentionOptions);
  }
}

/** The type of what `GroupedQueryAttention()` returns. */
export type GroupedQueryAttention = GroupedQueryAttentionLayer;

/** `GroupedQueryAttention({ headDim: 16, numQueryHeads: 8, numKeyValueHeads: 2 })`. */
export function GroupedQueryAttention(options: GroupedQueryAttentionOptions = {}): GroupedQueryAttention {
  return new GroupedQueryAttentionLayer(options);
}
