import type { Tensor } from '@tensorflow/tfjs-core';

/** What an activation output remembers of its input, so a loss can use the logits (see `withLogits`). */
export interface LogitsRecord {
  /** The pre-activation tensor. */
  logits: Tensor;
  /** The activation that made the output from them. */
  activation: 'softmax' | 'sigmoid';
  /** The softmax axis (negative counts from the end); -1 for sigmoid. */
  axis: number;
}

// As Keras's `output._keras_logits`: the softmax or sigmoid output tensor carries its logits, and
// cross-entropy losses read them for the stable, fused form (one kernel forward, `p − y`
// backward). Weak: an output that is released takes its record along. On globalThis, so the ESM
// and CJS builds of this package share it.
const KEY = Symbol.for('@neurona/tensor/logits');
const RECORDS = ((globalThis as unknown as Record<symbol, WeakMap<Tensor, LogitsRecord> | undefined>)[KEY] ??= new WeakMap());

/**
 * Record that `output = activation(logits)` (`'softmax'` along `axis`, or `'sigmoid'`), so that a
 * cross-entropy loss given `output` can compute from `logits` instead. Returns `output`.
 * Activations call it; a loss reads it with `logitsOf`.
 */
export function withLogits<T extends Tensor>(output: T, logits: Tensor, activation: 'softmax' | 'sigmoid', axis = -1): T {
  RECORDS.set(output, { logits, activation, axis });
  return output;
}

/** The logits `output` was computed from, if an activation recorded them and they are still alive. */
export function logitsOf(output: Tensor): LogitsRecord | null {
  const r = RECORDS.get(output);
  return r && !r.logits.isDisposed ? r : null;
}
