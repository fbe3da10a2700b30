// Keras's `_keras_mask`: a tensor may carry a boolean mask of its leading axes (`[batch, time]`
// for a sequence) saying which entries are real data and which are padding. Layers that make a
// mask (Embedding with maskZero, Masking) attach it to their output; layers, losses and metrics
// read it. tfjs-core's Tensor has the slot for it (`kerasMask`, the field tfjs-layers uses) and
// releases the mask when the tensor is released, so a mask lives exactly as long as its tensor.
import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * Attach `mask` (a bool tensor over the leading axes of `t`) to `t`, which then owns it: the mask
 * is released with `t`. A mask `t` already carried is released first. `null` removes it. Give
 * each tensor its own mask handle (`clone(mask)` shares the data): two tensors owning one mask
 * would release it twice. Returns `t`.
 */
export function withMask<T extends Tensor>(t: T, mask: Tensor | null): T {
  const prev = t.kerasMask;
  if (prev && prev !== mask && !prev.isDisposed) prev.dispose();
  if (mask) t.kerasMask = mask;
  else delete t.kerasMask;
  return t;
}

/** The mask `t` carries (see `withMask`), or null when it has none (or it was released). */
export function maskOf(t: Tensor): Tensor | null {
  const m = t.kerasMask;
  return m && !m.isDisposed ? m : null;
}
