import * as T from '@neurona/tensor';
import type { Initializer, SeedOption } from './types';
import { defineInitializer, checkKeys, checkSeed, finiteNumber, seedFor } from './define';
import { orthonormalColumns, standardNormals } from './linalg';

export interface OrthogonalOptions extends SeedOption {
  /** Multiplies the orthogonal matrix (default 1, must be > 0). */
  gain?: number;
}

/**
 * A (semi-)orthogonal matrix times `gain`: the shape is flattened to `[prod(shape[:-1]), shape[-1]]`,
 * whose rows (if fewer) or columns are orthonormal; from the QR of a normal sample, as Keras.
 */
export function Orthogonal(options: OrthogonalOptions = {}): Initializer {
  checkKeys('Orthogonal', options, ['gain', 'seed']);
  const gain = finiteNumber('Orthogonal: gain', options.gain, 1, 'positive');
  const seed = checkSeed('Orthogonal', options.seed);
  return defineInitializer('Orthogonal', () => ({ gain, seed }), (shape) => {
    if (shape.length < 2) {
      throw new Error(`Orthogonal: the shape must have at least 2 dimensions, got [${shape.join(', ')}]`);
    }
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1];
    if (rows === 0 || cols === 0) return T.zeros(shape);
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    // The sample is drawn in JavaScript, not on the backend: no device round trip (GPU backends
    // cannot read back synchronously) and the same numbers on every backend.
    const a = standardNormals(m * n, seedFor(seed));
    const q = orthonormalColumns(a, m, n); // m×n
    const out = new Float32Array(rows * cols);
    if (rows >= cols) {
      for (let i = 0; i < q.length; i++) out[i] = gain * q[i];
    } else {
      // Fewer rows than columns: use Qᵀ (n×m), whose rows are orthonormal.
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = gain * q[j * n + i];
    }
    return T.tensor(out, shape, 'float32');
  });
}
