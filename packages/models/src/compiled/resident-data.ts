// A fit's training arrays in the fast kernels' memory for the fit's duration (ResidentRows of
// @neurona/kernels): copied once when the compiled engine is made, released with it. A batch of
// those arrays is then gathered there on the engine's threads instead of copied row by row from
// the backend's memory on this thread (docs/perf.md, "Sixth increment"). Arrays that do not fit
// (NEURONA_RESIDENT_MB, default 512 MiB; 0 turns it off) keep the copy of batch-source.ts.
import type { ResidentRows } from '@neurona/kernels';
import type { Tensor } from '@neurona/tensor';
import type { BatchIndices, DataArrays } from '../step';
import type { PlanBatch, PlanSlots } from './batch-source';
import type { PlanKernels } from './dense-plan';
import { note, stepProfile } from './step-profile';

/** The copies of a fit's arrays and the tensors they were made from (a batch of other tensors is not theirs). */
export interface ResidentData {
  readonly rows: ResidentRows;
  readonly x: Tensor;
  readonly y: Tensor;
  readonly sw: Tensor | null;
  /** Values per row of x and y. */
  readonly xWidth: number;
  readonly yWidth: number;
}

const rowWidth = (t: Tensor): number => t.shape.slice(1).reduce((a, b) => a * b, 1);

/**
 * `data`'s x, y (and sample weights) copied into the fast kernels' memory for batches of up to
 * `batchSize` rows, or null when there is only one batch (nothing to gain), when the engine has
 * one thread (no second thread to gather with: a page without cross-origin isolation keeps its
 * memory), when they are larger than the limit or the memory cannot hold them, or when a tensor
 * cannot be read in place.
 */
export function residentData(k: PlanKernels, data: DataArrays, batchSize: number): ResidentData | null {
  if (data.xs.length !== 1 || data.ys.length !== 1 || data.n <= batchSize) return null;
  if (k.fastKernelsStatus().threads < 2) return null;
  const x = data.xs[0];
  const y = data.ys[0];
  const sw = data.sampleWeights?.[0] ?? null;
  const tensors = sw ? [x, y, sw] : [x, y];
  // one view at a time: reading a tensor in place allocates nothing, so the views stay valid
  const views = tensors.map((t) => k.tensorMemory(t));
  if (views.some((v) => v === null)) return null;
  const t0 = stepProfile.on ? performance.now() : 0;
  const rows = k.ResidentRows.create(
    tensors.map((t, i) => ({ values: views[i] as Float32Array | Int32Array, width: rowWidth(t) })),
    data.n,
    Math.max(1, Math.min(batchSize, data.n)),
  );
  if (stepProfile.on && rows) note(`plan profile: ${(rows.bytes / 2 ** 20).toFixed(1)} MiB of training rows copied in ${(performance.now() - t0).toFixed(1)} ms`);
  return rows ? { rows, x, y, sw, xWidth: rowWidth(x), yWidth: rowWidth(y) } : null;
}

/**
 * The batch `indices` of `data` gathered from `r`, or null when `data`'s arrays are not the ones
 * `r` holds copies of (the caller then copies from the arrays themselves).
 */
export function residentBatch(k: PlanKernels, r: ResidentData, data: DataArrays, indices: BatchIndices): PlanBatch | null {
  const sw = data.sampleWeights?.[0] ?? null;
  if (data.xs[0] !== r.x || data.ys[0] !== r.y || sw !== r.sw || data.n !== r.rows.rows) return null;
  const idx = indices === null ? null : indices instanceof Int32Array ? indices : (k.tensorMemory(indices) as Int32Array | null);
  if (indices !== null && !idx) return null;
  const size = idx === null ? data.n : idx.length;
  // a dataset's later batch may be larger than the first, which set the room for indices
  if (size > r.rows.capacity) return null;
  return {
    size,
    weighted: sw !== null,
    copyInto(_heap: () => Float32Array, slots: PlanSlots) {
      if (slots.xWidth !== r.xWidth || slots.yWidth !== r.yWidth) {
        throw new Error(`Internal: rows of ${r.xWidth} and ${r.yWidth} values where the plan expects ${slots.xWidth} and ${slots.yWidth}`);
      }
      r.rows.gather(idx, size, sw ? [slots.x, slots.y, slots.sw] : [slots.x, slots.y]);
    },
  };
}
