// The dense plan's relu derivative and bias column sums on the GEMM engine's SIMD loops
// (onepass-module.ts), in place on a plan's memory and on this thread: as JavaScript loops they
// were 0.1–0.4 ms of a batch-512 step (relu's branch mispredicts on half of the cells), the SIMD
// loops a few tens of µs. One thread: a wake-up of the worker costs more than these passes.
import type { GemmEngine } from './gemm-engine';
import { state } from './state';

/** Below this many floats the JavaScript loops are as fast (no call into the module). */
const SIMD_MIN_FLOATS = 256;

/** The engine whose memory `h` views (a compiled plan's), or null. */
function engineOf(h: Float32Array): GemmEngine | null {
  const e = state().engine;
  return e && h.buffer === e.memory.buffer ? e : null;
}

/**
 * `d ← a > 0 ? d : 0` over `rows` rows of stride `ld` (all `ld` columns, padding included) when
 * `h` is the engine's memory and the layout suits the SIMD loop; false (nothing done) otherwise.
 */
export function reluGradOnEngine(h: Float32Array, d: number, a: number, rows: number, ld: number): boolean {
  const n = rows * ld;
  if (n < SIMD_MIN_FLOATS || ld % 4 !== 0 || d % 4 !== 0 || a % 4 !== 0) return false;
  const e = engineOf(h);
  if (!e) return false;
  e.onePass('relu_grad', [d * 4, a * 4, d * 4], 0, n / 4, n / 4, 0);
  return true;
}

/**
 * `dst[j] = Σ_r src[r, j]` for `cols` of the `ld` columns (summed in float32 row by row, as the
 * JavaScript loop: the same values) when `h` is the engine's memory and `ld` is a multiple of 4;
 * false (nothing done) otherwise. The sums of all `ld` columns go to the engine's scratch first.
 */
export function columnSumsOnEngine(h: Float32Array, src: number, ld: number, rows: number, cols: number, dst: number): boolean {
  if (rows * ld < SIMD_MIN_FLOATS || ld % 4 !== 0 || rows < 1) return false;
  const e = engineOf(h);
  if (!e) return false;
  const at = Math.ceil(e.scratchBase() / 4) * 4;
  e.scratch(at + ld + 4);
  e.onePass('col_sums', [src * 4, at * 4, rows, ld, rows], 0, 1, 1, 0);
  const g = e.heap();
  g.copyWithin(dst, at, at + cols);
  return true;
}
