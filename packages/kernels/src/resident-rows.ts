// A fit's training arrays kept in the GEMM engine's memory for the fit's duration (copied once),
// so that a batch's rows are gathered there by the engine's threads (a one-pass job, both threads
// taking rows from a shared counter) instead of copied row by row on the calling thread from the
// backend's memory, which the worker cannot read. At batch 512 the rows of a shuffled batch are
// cold in every cache: one thread copying them measured 0.3–0.8 ms of a 6-ms step (docs/perf.md,
// "Sixth increment").
import { PlanMemory, planEngine } from './plan-memory';
import { GATHER_PARAMS } from './onepass-module';

/** The most bytes of training arrays kept in the engine's memory unless NEURONA_RESIDENT_MB says otherwise. */
const DEFAULT_LIMIT_MB = 512;

/** One row array: `rows × width` values (int32 values are kept as float32, as a plan reads them). */
export interface ResidentArray {
  values: Float32Array | Int32Array;
  /** Values per row. */
  width: number;
}

/**
 * The bytes of training arrays a fit may keep in the fast kernels' memory: NEURONA_RESIDENT_MB
 * (a number of MiB; 0 turns it off) where the process sets it, else 512 MiB.
 */
export function residentLimitBytes(): number {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NEURONA_RESIDENT_MB;
  const mb = v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : DEFAULT_LIMIT_MB;
  return mb * 1024 * 1024;
}

const up4 = (n: number) => Math.ceil(n / 4) * 4;

/**
 * Up to three row arrays (a fit's x, y and sample weights) copied into a region of the fast
 * kernels' memory, and a slot for one batch's row indices. `gather` copies a batch's rows to a
 * compiled plan's buffers in the same memory. `release()` gives the region back.
 */
export class ResidentRows {
  private constructor(
    private readonly mem: PlanMemory,
    /** Rows of every array. */
    readonly rows: number,
    /** Most rows one batch may have. */
    readonly capacity: number,
    private readonly idx: number,
    private readonly at: number[],
    widths: number[],
  ) {
    // gather_rows' parameters but the destinations (set per batch); arrays not given copy 0 bytes
    this.params = Array.from({ length: GATHER_PARAMS.length }, () => 0);
    this.params[0] = idx * 4;
    at.forEach((src, a) => {
      this.params[1 + 3 * a] = src * 4;
      this.params[3 + 3 * a] = widths[a] * 4;
    });
    this.rowFloats = widths.reduce((s, w) => s + w, 0);
  }

  private readonly params: number[];
  private readonly rowFloats: number;
  private ix: Int32Array | null = null;

  /**
   * Copy `arrays` (1 to 3, `rows` rows each) into the fast kernels' memory for batches of up to
   * `capacity` rows; null when the fast kernels are not active, when they would take more than
   * `limitBytes` (default `residentLimitBytes()`), or when the memory cannot hold them. Arrays
   * whose length is not `rows × width` throw.
   */
  static create(arrays: ResidentArray[], rows: number, capacity: number, limitBytes = residentLimitBytes()): ResidentRows | null {
    if (arrays.length < 1 || arrays.length > 3) throw new Error(`ResidentRows: 1 to 3 arrays, got ${arrays.length}`);
    if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(capacity) && capacity >= 1)) throw new Error(`ResidentRows: rows (${rows}) and capacity (${capacity}) must be integers, capacity >= 1`);
    for (const a of arrays) {
      if (!(Number.isInteger(a.width) && a.width >= 1) || a.values.length < rows * a.width) {
        throw new Error(`ResidentRows: an array of ${rows} rows of ${a.width} values needs ${rows * a.width} values, got ${a.values.length}`);
      }
    }
    const floats = up4(capacity) + arrays.reduce((s, a) => s + up4(rows * a.width), 0);
    if (4 * floats > limitBytes) return null;
    const mem = PlanMemory.reserve(floats, false);
    if (!mem) return null;
    const idx = mem.start;
    const at: number[] = [];
    let o = idx + up4(capacity);
    // the heap after the reservation (it may have grown); the arrays' views are the caller's, taken before
    const h = mem.heap();
    for (const a of arrays) {
      at.push(o);
      h.set(a.values.length === rows * a.width ? a.values : a.values.subarray(0, rows * a.width), o);
      o += up4(rows * a.width);
    }
    return new ResidentRows(mem, rows, capacity, idx, at, arrays.map((a) => a.width));
  }

  /** Bytes the region holds. */
  get bytes(): number {
    return 4 * this.mem.size;
  }

  /**
   * Rows `indices` (the first `n` rows when null) of each array, in order, to `dst[a]` (float
   * offsets in the same memory, one per array given to `create`, room for `n` rows each), on the
   * engine's threads for a large batch. An index outside `[0, rows)` throws before anything is
   * copied.
   */
  gather(indices: Int32Array | null, n: number, dst: number[]): void {
    if (n > this.capacity) throw new Error(`ResidentRows.gather: ${n} rows, room for ${this.capacity}`);
    if (dst.length !== this.at.length) throw new Error(`ResidentRows.gather: ${this.at.length} destinations expected, got ${dst.length}`);
    if (indices !== null && indices.length < n) throw new Error(`ResidentRows.gather: ${n} rows from ${indices.length} indices`);
    const h = this.mem.heap();
    // one view of the index slot while the memory keeps its buffer (no allocation per batch)
    if (this.ix === null || this.ix.buffer !== h.buffer) this.ix = new Int32Array(h.buffer, this.idx * 4, this.capacity);
    const ix = this.ix;
    if (indices === null) {
      if (n > this.rows) throw new Error(`ResidentRows.gather: ${n} rows of ${this.rows}`);
      for (let i = 0; i < n; i++) ix[i] = i;
    } else {
      const rows = this.rows;
      for (let i = 0; i < n; i++) {
        const r = indices[i];
        if (!(r >= 0 && r < rows)) throw new Error(`ResidentRows.gather: index ${r} is not in [0, ${rows - 1}]`);
        ix[i] = r;
      }
    }
    const p = this.params;
    for (let a = 0; a < dst.length; a++) p[2 + 3 * a] = dst[a] * 4;
    planEngine(this.mem).onePass('gather_rows', p, 0, n, 1, n * this.rowFloats);
  }

  /** Give the memory back (a later fit reuses it). */
  release(): void {
    this.mem.release();
  }
}
