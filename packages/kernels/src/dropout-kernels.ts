// A Dropout mask written straight into the GEMM engine's memory (a compiled plan's), with the
// same numbers `@neurona/tensor`'s dropoutMask draws for the tape path: whole groups of eight
// elements by the SIMD loop (dropout-module.ts) on every thread, the last few by the JavaScript loop.
import { dropoutMask, dropoutScale, dropoutThreshold, THREEFRY_PARITY, type Words2 } from '@neurona/tensor';
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
  const groups = Math.floor(count / 8);
  if (groups > 0) {
    // byte address 0 is the engine's parameter block, never a buffer: 0 means "no source"
    const params = [dst * 4, k0 | 0, k1 | 0, (THREEFRY_PARITY ^ k0 ^ k1) | 0, dropoutThreshold(rate), f32Bits(dropoutScale(rate)), io ? io.src * 4 : 0, io ? io.out * 4 : 0];
    // ~150 SIMD operations per 8 floats: worth a worker's hand-off from a few thousand floats
    engine.onePass('dropout_mask', params, 0, groups, 32, 16 * count);
  }
  const rest = count - 8 * groups;
  if (rest === 0) return;
  const h = engine.heap();
  dropoutMask(key, rate, rest, h, dst + 8 * groups, 8 * groups);
  if (io) for (let e = 8 * groups; e < count; e++) h[io.out + e] = h[io.src + e] * h[dst + e];
}

/** `dropoutMaskAt` on a plan's memory (float offsets from its heap's start). */
export function planDropoutMask(mem: PlanMemory, key: Words2, rate: number, dst: number, count: number, io?: { src: number; out: number }): void {
  dropoutMaskAt(planEngine(mem), key, rate, dst, count, io);
}
