// The seam between where a batch comes from and a compiled plan: "copy this batch's x, y (and
// sample weights) into plan memory". The same copy serves rows of in-memory arrays picked by index
// (fit(x, y), shuffled or not), the tensors of one dataset batch (all their rows) and the rows of
// a dataset's whole in-memory columns (fromArrays(...).batch(b), by index); the plan itself never
// sees tensors.
import { gatherRows, tensor1d, tidy, type Tensor } from '@neurona/tensor';
import type { BatchIndices, DataArrays } from '../step';
import type { PlanKernels } from './dense-plan';

/** Where a plan takes a batch: float offsets in its memory and values per row. */
export interface PlanSlots {
  x: number;
  xWidth: number;
  y: number;
  yWidth: number;
  /** One weight per row. */
  sw: number;
}

/** One batch as a plan takes it. */
export interface PlanBatch {
  /** Rows in the batch. */
  readonly size: number;
  /** Whether it carries per-sample weights. */
  readonly weighted: boolean;
  /** Copy x, y (and the weights) into `heap()` at `slots` (`heap` is taken again after any allocation). */
  copyInto(heap: () => Float32Array, slots: PlanSlots): void;
}

/** Values per sample of a tensor `[n, ...]`. */
const rowWidth = (t: Tensor): number => t.shape.slice(1).reduce((a, b) => a * b, 1);

type Values = Float32Array | Int32Array | Uint8Array | ArrayLike<number>;

/**
 * Copy rows of `src` (`width` values each) into `heap` at `dst`: the rows `idx` in order, or the
 * first `n` rows when `idx` is null. Other element types are converted value by value.
 */
function copyRows(heap: Float32Array, dst: number, src: Values, width: number, n: number, idx: Int32Array | null): void {
  if (idx === null && src instanceof Float32Array) {
    heap.set(src.subarray(0, n * width), dst);
    return;
  }
  if (idx !== null && src instanceof Float32Array) {
    // a run of consecutive rows (a batch of rows in order) is one copy
    for (let i = 0; i < n; ) {
      const r = idx[i];
      let k = i + 1;
      while (k < n && idx[k] === r + (k - i)) k++;
      heap.set(src.subarray(r * width, (r + k - i) * width), dst + i * width);
      i = k;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const r = idx ? idx[i] : i;
    for (let j = 0; j < width; j++) heap[dst + i * width + j] = src[r * width + j];
  }
}

/**
 * The values of `t` for a copy: a view of the backend's memory where it can be read in place, else
 * (`copyable`: a tensor of one batch, cheap to read) a synchronous read; null when neither.
 */
function valuesOf(k: PlanKernels, t: Tensor, copyable: boolean): Values | null {
  const view = k.tensorMemory(t);
  if (view) return view;
  return copyable ? (t.dataSync() as Values) : null;
}

/** The rows `idx` of `t` read as one small array (a tensor that cannot be read in place, such as a bool weight). */
function gatheredValues(t: Tensor, idx: Int32Array): Values {
  const rows = tidy(() => gatherRows(t, tensor1d(idx, 'int32')));
  try {
    return rows.dataSync() as Values;
  } finally {
    rows.dispose();
  }
}

/**
 * A batch of `data` for a plan: the rows `indices` (all of them when null; an index tensor is read
 * in place). `whole` says the batch comes from a dataset: a tensor whose memory cannot be read in
 * place (a bool weight) is then read with `dataSync` — all of it for a batch's own tensors, only
 * the rows `indices` of a dataset's whole in-memory columns. Arrays of `fit(x, y)` must be
 * readable in place (the plan was only chosen when they are: see compile-plan.ts).
 */
export function planBatch(k: PlanKernels, data: DataArrays, indices: BatchIndices, whole = false): PlanBatch {
  const idx = indices === null ? null : indices instanceof Int32Array ? indices : (k.tensorMemory(indices) as Int32Array | null);
  if (indices !== null && !idx) throw new Error('Internal: the batch indices cannot be read in place');
  const size = indices === null ? data.n : (idx as Int32Array).length;
  const sw = data.sampleWeights?.[0] ?? null;
  const copy = (heap: () => Float32Array, t: Tensor, dst: number, width: number) => {
    const w = rowWidth(t);
    if (w !== width) throw new Error(`Internal: rows of ${w} values where the plan expects ${width}`);
    // a dataset's rows of whole arrays (indexed) are never read whole: only their rows are
    const src = valuesOf(k, t, whole && idx === null);
    if (!src && whole && idx !== null) {
      copyRows(heap(), dst, gatheredValues(t, idx), w, size, null);
      return;
    }
    if (!src) throw new Error(`Internal: tensor ${t.dtype} [${t.shape.join(', ')}] cannot be read in place`);
    // the view is taken after any read that may allocate, and the heap after the view
    copyRows(heap(), dst, src, w, size, idx);
  };
  return {
    size,
    weighted: sw !== null,
    copyInto(heap, slots) {
      copy(heap, data.xs[0], slots.x, slots.xWidth);
      copy(heap, data.ys[0], slots.y, slots.yWidth);
      if (sw) copy(heap, sw, slots.sw, 1);
    },
  };
}
