// Persistent buffers for a compiled training step, in the GEMM engine's own memory: the plan's
// weights, gradients, optimizer state and activations stay there between steps, products run on
// them in place (no operand copies, no tfjs kernels), and only the batch's rows come in.
import * as tfc from '@tensorflow/tfjs-core';
import { getBackendInfo, type Tensor } from '@neurona/tensor';
import { fastKernelsActive } from './fast-kernels';
import type { GemmEngine } from './gemm-engine';
import { rawAccess, type RawArray } from './raw-data';
import { isRawMemory, state } from './state';

// the engine behind each region, for the package's own plan loops (plan-conv.ts); not exported
const engines = new WeakMap<PlanMemory, GemmEngine>();

/** The engine `m` lives in (the package's plan loops only), or an error after `release()`. */
export function planEngine(m: PlanMemory): GemmEngine {
  m.heap(); // throws after release()
  return engines.get(m) as GemmEngine;
}

/**
 * A region of the fast kernels' memory reserved for one compiled training step. Offsets are in
 * floats from the start of `heap()`. Take `heap()` again after `product` (a call may grow the
 * memory, which gives it a new buffer). Call `release()` when done.
 */
export class PlanMemory {
  private released = false;

  private constructor(
    private readonly engine: GemmEngine,
    /** First float of the region. */
    readonly start: number,
    /** Floats in the region. */
    readonly size: number,
  ) {
    engines.set(this, engine);
  }

  /**
   * Reserve `floats` zeroed floats, or null when the fast kernels are not active on the current
   * backend (off, a backend without host or wasm-heap memory, or the raw-memory probe failed) or
   * the memory cannot hold them. `zero` false: the floats are not zeroed (the caller writes all of
   * them before reading any).
   */
  static reserve(floats: number, zero = true): PlanMemory | null {
    const engine = state().engine;
    if (!engine || !fastKernelsActive()) return null;
    const start = engine.reserve(floats, zero);
    return start < 0 ? null : new PlanMemory(engine, start, floats);
  }

  /** A float32 view of the whole memory (the region is `[start, start + size)`). */
  heap(): Float32Array {
    if (this.released) throw new Error('PlanMemory: used after release()');
    return this.engine.heap();
  }

  /**
   * `C = op(A)·B (+ bias) (relu)` on float offsets of the memory, on the engine's threads.
   * `transA`: A is stored transposed (`A(i, k)` at `a + k·lda + i`); rows of C are computed four at
   * a time (A and C need room for `M` rounded up to 4 rows); `N` a multiple of 8; `bias` < 0 for none.
   */
  product(transA: boolean, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, M: number, N: number, K: number, bias = -1, relu = false): void {
    this.engine.gemm({ a, lda, aTransposed: transA, b, ldb, c, ldc, m: M, n: N, k: K, bias: bias < 0 ? 0 : bias, relu });
  }

  /** `dst(c, r) = src(r, c)` for a `rows × cols` matrix (float offsets and row strides). */
  transpose(src: number, rows: number, cols: number, lds: number, dst: number, ldd: number): void {
    this.engine.transposeInto(src, rows, cols, lds, dst, ldd);
  }

  /** Give the region back. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.engine.release(this.start);
  }
}

/**
 * The values of a float32 or int32 tensor of the current backend, without a copy (a view of the
 * backend's memory: take it again after anything allocates), or null when the backend's memory
 * cannot be read in place.
 */
export function tensorMemory(t: Tensor): RawArray | null {
  const info = getBackendInfo();
  if (!isRawMemory(info.capabilities.memory)) return null;
  if (t.dtype !== 'float32' && t.dtype !== 'int32') return null;
  const raw = rawAccess(tfc.backend(), info.capabilities.memory, info.name);
  return raw ? raw.view(t) : null;
}
