// `embeddingLookup` on backends whose memory JavaScript can reach: the forward pass is a row copy
// per id (tfjs 4.22's wasm GatherV2 computes an index per element), the gradient one pass that
// adds each row of dy into its id's row (the portable body's ScatterNd works too, but goes
// through tfjs's generic scatter).
import { portableKernel, EMBEDDING, EMBEDDING_GRAD, type BackendMemory, type PortableKernel } from '@neurona/tensor/kernel-api';
import { rawAccess } from './raw-data';

const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** The row-copy body of `embeddingLookup` (installed whenever the memory allows: it only moves data). */
export function embeddingBody(backendName: string, memory: BackendMemory): PortableKernel {
  return (inputs, backend, attrs) => {
    const { table, ids } = inputs;
    const raw = rawAccess(backend, memory, backendName);
    if (!raw || table.dtype !== 'float32' || ids.dtype !== 'int32') return portableKernel(EMBEDDING)(inputs, backend, attrs);
    const [rows, dim] = table.shape;
    const n = count(ids.shape);
    // allocate first: on wasm an allocation can move the heap and invalidate earlier views
    const out = raw.alloc([...ids.shape, dim], 'float32');
    const dst = raw.view(out);
    const src = raw.view(table);
    const idx = raw.view(ids);
    for (let i = 0; i < n; i++) {
      const r = idx[i];
      if (!(r >= 0 && r < rows)) {
        backend.disposeData(out.dataId);
        throw new Error(`embeddingLookup: id ${r} is not in [0, ${rows})`);
      }
      dst.set(src.subarray(r * dim, (r + 1) * dim), i * dim);
    }
    return out;
  };
}

/** The one-pass body of the embedding gradient: `out[ids[i]] += dy[i]`. */
export function embeddingGradBody(backendName: string, memory: BackendMemory): PortableKernel {
  return (inputs, backend, attrs) => {
    const { dy, ids } = inputs;
    const raw = rawAccess(backend, memory, backendName);
    if (!raw || dy.dtype !== 'float32' || ids.dtype !== 'int32') return portableKernel(EMBEDDING_GRAD)(inputs, backend, attrs);
    const rows = attrs.rows as number;
    const dim = dy.shape[dy.shape.length - 1];
    const n = count(ids.shape);
    const out = raw.alloc([rows, dim], 'float32');
    const o = raw.view(out) as Float32Array;
    const g = raw.view(dy) as Float32Array;
    const idx = raw.view(ids);
    // alloc gives zeros on the cpu backend; the wasm heap may hold old values
    o.fill(0);
    for (let i = 0; i < n; i++) {
      const r = idx[i] * dim;
      const s = i * dim;
      for (let j = 0; j < dim; j++) o[r + j] += g[s + j];
    }
    return out;
  };
}
