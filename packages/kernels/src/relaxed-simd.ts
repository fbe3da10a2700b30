// Whether this WebAssembly engine has relaxed SIMD (f32x4.relaxed_madd, a fused multiply-add on
// CPUs with FMA): shipped by default in V8 11.4 (Chrome 114, Node 22), Firefox 120; behind
// --experimental-wasm-relaxed-simd in Node 20/21 (@neurona/backend-node turns that flag on);
// absent from Safari. The GEMM module is built with it when this says yes (gemm-module.ts).
import { Fn, V128, assemble } from './wasm-asm';

let probe: Uint8Array<ArrayBuffer> | null = null;

/** A module with one function computing relaxed_madd(0, 0, 0): valid only where relaxed SIMD is. */
function probeBytes(): Uint8Array<ArrayBuffer> {
  if (!probe) {
    const f = new Fn([], [V128]);
    f.v128Zero().v128Zero().v128Zero().f32x4RelaxedMadd();
    probe = assemble({ p: f }, { initial: 1, maximum: 1, shared: false });
  }
  return probe;
}

/**
 * Whether this runtime's WebAssembly has relaxed SIMD, so the fast kernels' GEMM can use fused
 * multiply-adds. Asked again on every call (a validate of a 40-byte module, microseconds): a
 * Node 20 process can turn the feature on at run time (`@neurona/backend-node` does).
 */
export function relaxedSimdSupported(): boolean {
  if (typeof WebAssembly === 'undefined') return false;
  try {
    return WebAssembly.validate(probeBytes());
  } catch {
    return false;
  }
}
