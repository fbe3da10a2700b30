// A product with a long inner dimension, in slices of it. The engine's 4×8 kernel streams all of
// B once per 4 rows of C; when B is larger than the caches (a weight gradient xᵀ·dz over every
// time step of a sequence: K = batch·steps) that makes the product memory-bound, several times
// slower. Summing the products of K-slices whose part of B stays in cache is faster (measured:
// 128×3200×512 in 17 ms sliced against 100–160 ms whole, on this machine under load).
import type { GemmEngine, Operand } from './gemm-engine';

/** Floats of B per slice (a 256 KB working set). */
const SLICE_FLOATS = 1 << 16;

/** The rows `[from, from + n)` of an operand's K axis (its rows, or its columns when transposed, stored as rows). */
function kSlice(o: Operand, from: number, n: number, kAlongRows: boolean): Operand {
  if (!kAlongRows) throw new Error('kSlice: K must run along the stored rows');
  return { data: o.data.subarray(from * o.cols, (from + n) * o.cols), rows: n, cols: o.cols, transposed: o.transposed };
}

/**
 * `out = op(a) · op(b)`, as `engine.matmul`, cut along K into slices when B is large and K runs
 * along the stored rows of both operands (A transposed, B not): the only layout where a slice
 * is a contiguous block of each. Other layouts run whole.
 */
export function matmulSliced(engine: GemmEngine, a: Operand, b: Operand, out: Float32Array): void {
  const K = b.transposed ? b.cols : b.rows;
  const N = b.transposed ? b.rows : b.cols;
  const step = Math.max(64, Math.floor(SLICE_FLOATS / Math.max(N, 1)));
  if (!a.transposed || b.transposed || K * N <= 4 * SLICE_FLOATS || K <= step) {
    engine.matmul(a, b, out);
    return;
  }
  const part = new Float32Array(out.length);
  out.fill(0);
  for (let k0 = 0; k0 < K; k0 += step) {
    const n = Math.min(step, K - k0);
    engine.matmul(kSlice(a, k0, n, true), kSlice(b, k0, n, true), part);
    for (let i = 0; i < out.length; i++) out[i] += part[i];
  }
}
