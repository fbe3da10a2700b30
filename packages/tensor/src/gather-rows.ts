// Rows of a matrix by index: the batching op of a training loop. On tfjs 4.22's wasm backend,
// `gather` of 128 rows of 784 costs about 5 ms (a per-element index computation) and `slice` of a
// large tensor copies the whole input; a row copy is a memcpy. The portable body is tfjs's
// GatherV2; @neurona/kernels gives backends whose memory JavaScript can reach a row copy.
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { defineKernel, runNeuronaKernel, callBackendKernel } from './kernel-util';
import { isTensor } from './guards';

/** tfjs kernel name of `gatherRows`. */
export const GATHER_ROWS = 'NeuronaGatherRows';

defineKernel(GATHER_ROWS, (inputs, backend) =>
  callBackendKernel('GatherV2', backend, { x: inputs.x, indices: inputs.indices }, { axis: 0, batchDims: 0 }),
);

tfc.registerGradient({
  kernelName: GATHER_ROWS,
  inputsToSave: ['x', 'indices'],
  gradFunc: (dy, saved) => {
    const [x, indices] = saved;
    return {
      x: () => tfc.unsortedSegmentSum(dy as Tensor, indices as tfc.Tensor1D, x.shape[0]),
      indices: () => tfc.zerosLike(indices).cast('float32'),
    };
  },
});

/**
 * `x[indices]` along the first axis: `gatherRows(x, tensor1d([3, 4, 5], 'int32'))`. The same
 * values as `gather(x, indices)`; much faster for batching where @neurona/kernels (loaded by
 * both backend packages) gives it a row copy: backends whose tensor memory is host or wasm-heap.
 */
export function gatherRows(x: Tensor, indices: Tensor | Int32Array | number[]): Tensor {
  if (x.rank < 1) throw new Error('gatherRows: x must have at least one dimension');
  if (x.dtype === 'string') return gatherStringRows(x, indices);
  const idx = isTensor(indices) ? indices : tfc.tensor1d(indices as Int32Array | number[], 'int32');
  if (idx.rank !== 1 || idx.dtype !== 'int32') throw new Error(`gatherRows: indices must be a 1-D int32 tensor, got ${idx.dtype} [${idx.shape}]`);
  const out = runNeuronaKernel(GATHER_ROWS, { x, indices: idx });
  if (idx !== indices) idx.dispose();
  return out;
}

// String tensors live on the host on every backend: their rows are picked there (no kernel reads
// them). Index tensors are read synchronously; fit and predict pass host indices.
function gatherStringRows(x: Tensor, indices: Tensor | Int32Array | number[]): Tensor {
  const idx = isTensor(indices) ? (indices.dataSync() as Int32Array) : indices;
  const values = x.dataSync() as unknown as string[];
  const n = x.shape[0];
  const per = n === 0 ? 0 : values.length / n;
  const out: string[] = [];
  for (let k = 0; k < idx.length; k++) {
    const r = idx[k];
    if (!(r >= 0 && r < n)) throw new Error(`gatherRows: index ${r} is out of range [0, ${n})`);
    for (let j = 0; j < per; j++) out.push(values[r * per + j]);
  }
  return tfc.tensor(out, [idx.length, ...x.shape.slice(1)], 'string');
}
