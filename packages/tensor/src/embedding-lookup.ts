// Rows of an embedding table by id, with a gradient every backend can run. tfjs-core's `gather`
// gradient is an UnsortedSegmentSum, which tfjs's wasm backend lacks; here the gradient is a
// neurona kernel, "add each row of dy into the table row of its id", whose portable body is the
// backend's ScatterNd (every tfjs backend has it, and it sums duplicate ids) and whose body on
// cpu/wasm (@neurona/kernels) is one loop over raw memory.
import * as tfc from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, once, runNeuronaKernel, callBackendKernel } from './kernel-util';
import { getBackendInfo } from './backend';

/** tfjs kernel name of `embeddingLookup`. */
export const EMBEDDING = 'NeuronaEmbedding';

/** tfjs kernel name of its gradient with respect to the table: `dy` rows added into `[rows, dim]` by id. */
export const EMBEDDING_GRAD = 'NeuronaEmbeddingGrad';

const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Defines the kernels and the gradient, once, on first need: by the op, or by
 * `@neurona/tensor/kernel-api` for the kernel packages that give them faster bodies. Until then
 * nothing refers to them, so a bundle without this op leaves them out.
 */
export const defineEmbeddingKernels = /* @__PURE__ */ once(() => {
  defineKernel(EMBEDDING, (inputs, backend) => {
    const { table, ids } = inputs;
    // a TensorInfo with another shape over the same data is a free reshape
    const flat: TensorInfo = { ...ids, shape: [count(ids.shape)] };
    const out = callBackendKernel('GatherV2', backend, { x: table, indices: flat }, { axis: 0, batchDims: 0 });
    return { ...out, shape: [...ids.shape, table.shape[1]] };
  });

  defineKernel(EMBEDDING_GRAD, (inputs, backend, attrs) => {
    const { dy, ids } = inputs;
    const rows = attrs.rows as number;
    const n = count(ids.shape);
    const dim = dy.shape[dy.shape.length - 1];
    return callBackendKernel(
      'ScatterNd',
      backend,
      { indices: { ...ids, shape: [n, 1] }, updates: { ...dy, shape: [n, dim] } },
      { shape: [rows, dim] },
    );
  });

  tfc.registerGradient({
    kernelName: EMBEDDING,
    inputsToSave: ['ids'],
    gradFunc: (dy, saved, attrs) => {
      const [ids] = saved;
      const { rows } = attrs as NamedAttrMap & { rows: number };
      return {
        table: () => runNeuronaKernel(EMBEDDING_GRAD, { dy: dy as Tensor, ids }, { rows }),
        // ids are indices: nothing flows into them
        ids: () => tfc.zerosLike(ids),
      };
    },
  });
});

/** The first few ids outside [0, rows), with where they are, for the error message. */
function outOfRange(ids: Tensor, rows: number): string | null {
  const v = ids.dataSync();
  const bad: string[] = [];
  const strides = ids.shape.map((_, i) => count(ids.shape.slice(i + 1)));
  for (let i = 0; i < v.length && bad.length < 5; i++) {
    if (v[i] >= 0 && v[i] < rows) continue;
    const at = strides.map((s, j) => Math.floor(i / s) % ids.shape[j]);
    bad.push(`${v[i]} at [${at.join(', ')}]`);
  }
  return bad.length === 0 ? null : bad.join(', ');
}

/**
 * `table[ids]`: for int32 `ids` of any shape and a `[rows, dim]` table, the rows of the ids, shape
 * `[...ids.shape, dim]`. Differentiable with respect to the table (rows of repeated ids add up).
 * Ids outside `[0, rows)` are an error naming them, on the backends that can read memory back
 * synchronously (cpu, wasm, tfjs-node); GPU backends are not stalled to check. `where` prefixes
 * the message (`'Embedding "embedding"'`).
 */
export function embeddingLookup(table: Tensor, ids: Tensor, where = 'embeddingLookup'): Tensor {
  defineEmbeddingKernels();
  if (table.rank !== 2) throw new Error(`${where}: the table must be [rows, dim], got shape [${table.shape.join(', ')}]`);
  if (ids.dtype !== 'int32') throw new Error(`${where}: ids must be an int32 tensor, got ${ids.dtype}`);
  const rows = table.shape[0];
  if (getBackendInfo().capabilities.syncRead) {
    const bad = outOfRange(ids, rows);
    if (bad) throw new Error(`${where}: ids must be in [0, ${rows}) (the table has ${rows} rows), got ${bad}`);
  }
  return runNeuronaKernel(EMBEDDING, { table, ids }, { rows });
}
