// Runs the vectors on the current backend. Used by the Node suites and by the browser page,
// so it imports nothing Node- or vitest-specific. Reads are async: WebGPU in Node cannot read
// GPU memory synchronously.
import * as T from '@neurona/tensor';
import type { Actual } from './compare';
import { VECTORS, type Vector } from './vectors';

/** What one vector produced on the current backend, or the error it threw. */
export interface VectorResult {
  name: string;
  outputs: Actual[];
  error?: string;
  ms: number;
}

/** Compute one vector, read its outputs back and free every tensor it made. */
export async function runVector(v: Vector): Promise<VectorResult> {
  const t0 = performance.now();
  let made: T.Tensor[] = [];
  try {
    made = T.tidy(() => {
      const r = v.compute();
      return Array.isArray(r) ? r : [r];
    });
    const outputs: Actual[] = [];
    for (const t of made) outputs.push({ shape: t.shape.slice(), dtype: t.dtype, values: Array.from(await t.data()) });
    return { name: v.name, outputs, ms: performance.now() - t0 };
  } catch (err) {
    return { name: v.name, outputs: [], error: err instanceof Error ? err.message : String(err), ms: performance.now() - t0 };
  } finally {
    T.dispose(made);
  }
}

/** Run every vector in order. */
export async function runAll(vectors: Vector[] = VECTORS): Promise<VectorResult[]> {
  const results: VectorResult[] = [];
  for (const v of vectors) results.push(await runVector(v));
  return results;
}
