// The pieces the attention layers share, with Keras's semantics: boolean masks combined with
// AND, the lower-triangular causal mask, Keras's masked softmax (masked scores set to -1e9, and
// masked outputs zeroed so a fully masked row gives zeros) and seeded dropout of the weights.
import { cast, div, exp, expandDims, fill, greater, greaterEqual, logicalAnd, logSumExp, mul, randomUniform, softmax, sub, tensor, where, zerosLike } from '@neurona/tensor';
import type { SeedGenerator, Tensor } from '@neurona/tensor';
import type { CallKwargs } from '../layer';
import type { SymbolicTensor } from '../symbolic';

/** Keyword arguments of the attention layers' calls (Keras's names). */
export interface AttentionKwargs extends CallKwargs {
  /** Boolean (or 0/1) mask `[batch, Tq, Tv]`: false positions get no attention. */
  attentionMask?: Tensor | SymbolicTensor | null;
  /** Also return the attention weights (`[out, scores]`). Default false. */
  returnAttentionScores?: boolean;
  /** Mask out future positions (decoder self-attention). Default false. */
  useCausalMask?: boolean;
}

/** A boolean view of a mask (values > 0.5 are kept, as Keras). */
export function asBool(m: Tensor): Tensor {
  return m.dtype === 'bool' ? m : greater(cast(m, 'float32'), 0.5);
}

/** AND of the masks given (null when none). */
export function andMasks(...ms: (Tensor | null | undefined)[]): Tensor | null {
  let out: Tensor | null = null;
  for (const m of ms) if (m) out = out ? logicalAnd(out, asBool(m)) : asBool(m);
  return out;
}

/** Keras's causal mask `[1, T, S]`: row i sees columns <= i. */
export function causalMask(t: number, s: number): Tensor {
  const v = new Uint8Array(t * s);
  for (let i = 0; i < t; i++) for (let j = 0; j < s; j++) v[i * s + j] = i >= j ? 1 : 0;
  return tensor(v, [1, t, s], 'bool');
}

/**
 * Keras's `Softmax(axis=axes)` with a mask: over the last `nAxes` axes; masked positions are set
 * to -1e9 before and to 0 after (a row with every position masked gives zeros).
 */
export function maskedSoftmax(scores: Tensor, mask: Tensor | null, nAxes = 1): Tensor {
  const x = mask ? where(mask, scores, fill(scores.shape, -1e9)) : scores;
  let out: Tensor;
  if (nAxes === 1) out = softmax(x, -1);
  else {
    const axes = Array.from({ length: nAxes }, (_, i) => x.rank - nAxes + i);
    out = exp(sub(x, logSumExp(x, axes, true)));
  }
  return mask ? where(mask, out, zerosLike(out)) : out;
}

/** Expand a mask with size-1 axes at `axis` until it has `rank` dimensions (Keras's mask expansion). */
export function expandMask(m: Tensor, rank: number, axis: number): Tensor {
  let out = m;
  while (out.rank < rank) out = expandDims(out, axis);
  return out;
}

/** Inverted dropout of attention weights while training, masks drawn from the layer's own stream. */
export function dropoutWeights(x: Tensor, rate: number, training: boolean | undefined, seeds: SeedGenerator): Tensor {
  if (!training || rate <= 0) return x;
  const keep = cast(greaterEqual(randomUniform(x.shape, 0, 1, 'float32', seeds.next()), rate), 'float32');
  return mul(x, div(keep, 1 - rate));
}

/** The masks of a call from `kwargs.mask` (a list per input, or one mask for the first). */
export function inputMasks(kwargs: AttentionKwargs): (Tensor | null)[] {
  const m = kwargs.mask;
  if (!m) return [];
  return (Array.isArray(m) ? m : [m]).map((t) => t ?? null);
}
