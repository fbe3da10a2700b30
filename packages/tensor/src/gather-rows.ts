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
  const idx = isTensor(indices) ? indices : tfc.tensor1d(indices as Int32Array | number[], 'int32');
  if (idx.rank !== 1 || idx.dtype !== 'int32') throw new Error(`gatherRows: indices must be a 1-D int32 tensor, got ${idx.dtype} [${idx.shape}]`);
  const out = runNeuronaKernel(GATHER_ROWS, { x, indices: idx });
  if (idx !== indices) idx.dispose();
  return out;
}
