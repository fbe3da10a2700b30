// WebAssembly relaxed SIMD for the fast kernels' GEMM (fused multiply-adds, about +25 % GFLOP/s:
// docs/perf.md "Fourth increment"). Node 22+ (V8 ≥ 11.4) has it by default; Node 20/21 ship it
// staged behind --experimental-wasm-relaxed-simd, which V8 accepts at run time: modules compiled
// afterwards (worker threads included) validate relaxed opcodes. It changes nothing else: the
// flag only adds opcodes, and the kernels fall back to a multiply then an add without it.
import { setFlagsFromString } from 'node:v8';
import { relaxedSimdSupported } from '@neurona/kernels';

/** The V8 flag that turns relaxed SIMD on where it is staged (Node 20/21). */
export const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';

/**
 * Make WebAssembly relaxed SIMD available in this process when V8 has it behind its flag, and
 * say whether it is available now. A no-op where it already is (Node 22+); false where this
 * V8 has no such feature.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdSupported()) return true;
  setFlagsFromString(RELAXED_SIMD_FLAG);
  return relaxedSimdSupported();
}

/** Whether the relaxed-SIMD GEMM is wanted: the option, else `NEURONA_RELAXED_SIMD` (`0` turns it off), else yes. */
export function relaxedSimdWanted(option: boolean | undefined, env: string | undefined): boolean {
  return option ?? env?.trim() !== '0';
}
