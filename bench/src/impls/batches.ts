import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';

/** Row indices of each batch, in order, as int32 tensors (made once, reused every epoch). */
export function batchIndices(n: number, batchSize: number): Tensor[] {
  const out: Tensor[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const m = Math.min(batchSize, n - s);
    const idx = new Int32Array(m);
    for (let i = 0; i < m; i++) idx[i] = s + i;
    out.push(T.tensor1d(idx, 'int32'));
  }
  return out;
}
