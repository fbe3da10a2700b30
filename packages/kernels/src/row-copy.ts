// gatherRows as a row copy: contiguous runs of indices in one TypedArray.set each (a memcpy),
// where tfjs 4.22's wasm GatherV2 computes an index per element (about 5 ms for 128 rows of 784,
// docs/perf.md). Installed for every backend declaring 'host' or 'wasm-heap' memory as soon as
// this package is loaded, whether or not the fast kernels are on: it only moves data.
import { portableKernel, GATHER_ROWS, type BackendMemory, type PortableKernel } from '@neurona/tensor/kernel-api';
import { rawAccess } from './raw-data';

/** The row-copy body of `gatherRows` for a backend with raw memory. */
export function gatherRowsBody(backendName: string, memory: BackendMemory): PortableKernel {
  return (inputs, backend, attrs) => {
    const { x, indices } = inputs;
    const raw = rawAccess(backend, memory, backendName);
    if (!raw || (x.dtype !== 'float32' && x.dtype !== 'int32')) return portableKernel(GATHER_ROWS)(inputs, backend, attrs);
    const m = indices.shape[0];
    const n = x.shape[0];
    const row = x.shape.slice(1).reduce((a, b) => a * b, 1);
    // allocate first: on wasm an allocation can move the heap and invalidate earlier views
    const out = raw.alloc([m, ...x.shape.slice(1)], x.dtype);
    const dst = raw.view(out);
    const src = raw.view(x);
    const idx = raw.view(indices);
    for (let i = 0; i < m; ) {
      const start = idx[i];
      if (!(start >= 0 && start < n)) {
        backend.disposeData(out.dataId);
        throw new Error(`gatherRows: index ${start} is not in [0, ${n - 1}]`);
      }
      // a run of consecutive indices is one copy
      let j = i + 1;
      while (j < m && idx[j] === start + (j - i) && idx[j] < n) j++;
      dst.set(src.subarray(start * row, (start + j - i) * row), i * row);
      i = j;
    }
    return out;
  };
}
