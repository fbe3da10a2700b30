import { add, addN, clipByValue, div, maximum, mul, sqrt, square, sub, sum } from '@neurona/tensor';
import type { Scalar, Tensor } from '@neurona/tensor';

export interface ClipSettings {
  clipNorm: number | null;
  clipValue: number | null;
  globalClipNorm: number | null;
}

/**
 * Keras's `_clip_gradients`: per-gradient norm clipping, or joint (global) norm clipping, or
 * element-wise value clipping (at most one is set). Runs inside the optimizer's step tidy.
 * `constant` gives cached scalar tensors so no new scalars are made per step.
 */
export function clipGradients(grads: Tensor[], s: ClipSettings, constant: (key: string, v: number) => Scalar): Tensor[] {
  if (s.clipNorm !== null) {
    const c = constant('clipNorm', s.clipNorm);
    // g * c / max(||g||, c): unchanged when ||g|| <= c, rescaled to norm c otherwise (0 stays 0)
    return grads.map((g) => div(mul(g, c), maximum(sqrt(sum(square(g))), c)));
  }
  if (s.globalClipNorm !== null) {
    const c = constant('globalClipNorm', s.globalClipNorm);
    const squares = grads.map((g) => sum(square(g)));
    const norm = sqrt(squares.length === 1 ? squares[0] : addN(squares));
    // (norm - norm) is 0 for a finite norm and NaN otherwise: as Keras, an Inf/NaN norm yields NaN
    // updates instead of silently zeroing them.
    const scale = add(div(c, maximum(norm, c)), sub(norm, norm));
    return grads.map((g) => mul(g, scale));
  }
  if (s.clipValue !== null) {
    const v = s.clipValue;
    return grads.map((g) => clipByValue(g, -v, v));
  }
  return grads;
}
