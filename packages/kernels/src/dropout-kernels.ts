// A Dropout mask written straight into the GEMM engine's memory (a compiled plan's), with the
// same numbers `@neurona/tensor`'s dropoutMask draws for the tape path: groups of eight elements
// by the SIMD loop (dropout-module.ts) on every thread, a last partial group through scratch.
import { dropoutScale, dropoutThreshold, type Words2 } from '@neurona/tensor';
import type { GemmEngine } from './gemm-engine';
import { planEngine, type PlanMemory } from './plan-memory';

/** The bits of a float32. */
const f32Bits = (v: number) => new Int32Array(new Float32Array([v]).buffer)[0];

/**
 * Elements [0, count) of the Dropout mask of `key` at `rate` (1/(1 − rate) where kept, else 0)
 * into the engine's memory at float offset `dst`; with `io`, also `out = src ⊙ mask` (float
 * offsets; `out` may be `src`). Offsets need no alignment. Counts up to 2³³ (the counter's first word).
 */
export function dropoutMaskAt(engine: GemmEngine, key: Words2, rate: number, dst: number, count: number, io?: { src: number; out: number }): void {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropoutMaskAt: rate must be a number in [0, 1), got ${String(rate)}`);
  const k0 = key[0] >>> 0, k1 = key[1] >>> 0;
  const full = Math.floor(count / 8);
  const rest = count - 8 * full;
  // byte address 0 is the engine's parameter block, never a buffer: src 0 means "no source"
  // the key schedule's third word: k0 ^ k1 ^ the parity constant (tensor's THREEFRY_PARITY)
  const params = (to: number, from: number, out: number) => [to, k0 | 0, k1 | 0, (0x1bd11bda ^ k0 ^ k1) | 0, dropoutThreshold(rate), f32Bits(dropoutScale(rate)), from, out];
  // ~150 SIMD operations per 8 floats: worth a worker's hand-off from a few thousand floats
  if (full > 0) engine.onePass('dropout_mask', params(dst * 4, io ? io.src * 4 : 0, io ? io.out * 4 : 0), 0, full, 32, 16 * count);
  if (rest === 0) return;
  // the last group into 8 floats of scratch: its byte address is dst + 32·group, so dst wraps (i32 arithmetic)
  const at = Math.ceil(engine.scratchBase() / 4) * 4;
  engine.scratch(at + 8);
  engine.onePass('dropout_mask', params((at * 4 - 32 * full) | 0, 0, 0), full, full + 1, 1, 8);
  const h = engine.heap();
  h.copyWithin(dst + 8 * full, at, at + rest);
  if (io) for (let e = 8 * full; e < count; e++) h[io.out + e] = h[io.src + e] * h[dst + e];
}

/** `dropoutMaskAt` on a plan's memory (float offsets from its heap's start). */
export function planDropoutMask(mem: PlanMemory, key: Words2, rate: number, dst: number, count: number, io?: { src: number; out: number }): void {
  dropoutMaskAt(planEngine(mem), key, rate, dst, count, io);
}
