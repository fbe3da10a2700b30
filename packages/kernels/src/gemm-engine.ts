// Runs the SIMD GEMM of gemm-module.ts on this thread plus worker threads that share its memory
// (Node's worker_threads over a shared WebAssembly.Memory). tfjs's wasm backend runs one thread
// in Node; this uses every core. Operands are copied into the engine's memory (a memcpy, small
// next to the product), so it serves both tfjs's cpu and wasm backends.
import { gemmModuleBytes, type GemmExports } from './gemm-module';
import { PATCH_PARAMS } from './patch-module';
import { relaxedSimdSupported } from './relaxed-simd';

/** The module's one-pass loops (onepass-module.ts) that `onePass` runs, by worker code 4, 5, .... */
const ONE_PASS = ['max_pool', 'max_pool_grad', 'relu_grad', 'col_sums', 'adam', 'sgd', 'dropout_mask', 'gather_rows'] as const;
/** A one-pass loop's name. */
export type OnePassName = (typeof ONE_PASS)[number];
/** One-pass loops over fewer floats than this run on one thread. */
const ONE_PASS_MIN_FLOATS = 1 << 16;
/** i32 parameters a one-pass loop may take (the block from PATCH_PARAMS_AT up to SCRATCH_BASE). */
const MAX_PARAMS = 48;
const MAX_PAGES = 16384; // 1 GiB of address space reserved for the shared memory
/** Products below this many multiply-adds run on one thread: waking a worker costs more. */
const THREAD_MIN_MACS = 1 << 21;
/** Patch matrices below this many floats are copied on one thread. */
const PATCH_MIN_FLOATS = 1 << 18;
const CTL_INTS = 21; // per worker: seq, done, fn, 14 args, quit, ready, parked, claim
const QUIT = 17;
const READY = 18;
/** 1 while the worker sleeps in Atomics.wait: only then does a job need an Atomics.notify. */
const PARKED = 19;
/**
 * A product's rows are handed out in chunks from a shared counter (after the workers' blocks):
 * CLAIM holds the job's seq while the worker may still take it; the worker swaps it for -1 when it
 * starts, the caller for 0 when every row is taken, so a worker that has not started by then (one
 * descheduled by other processes, or still waking) is never waited for.
 */
const CLAIM = 20;
/** Chunks a product's rows are cut into (at least 4 rows each) for the threads to take. */
const CHUNKS = 16;
const SEQ = 0, DONE = 1, FN = 2, ARGS = 3;
/**
 * How long (µs) an idle worker spins for its next job before it parks, unless the engine is built
 * with another value (or NEURONA_GEMM_SPIN_US says so). Waking a parked worker is not a few µs on
 * this kind of machine: the Atomics.notify that wakes it costs the posting thread 20–700 µs
 * (measured inside fit at batch 512; the scheduler often runs the woken worker on the poster's
 * core first), paid by every product that follows a gap of single-thread work (the loss, the
 * small products, the next batch's copy). 2 ms covers those gaps in a step; a worker idle longer
 * parks and costs nothing.
 */
const WORKER_SPIN_US = 2000;
/** A gap this long (ms) between two looks at the clock while spinning means the worker was preempted. */
const PREEMPTED_MS = 0.5;
/** How long (ms) a worker that was preempted while spinning parks at once instead. */
const CALM_MS = 100;
/**
 * After spinning (or at once while calm), an idle worker sleeps POLL_WAIT_MS at a time for up to
 * POLL_MS, looking for a job after each sleep: a job then needs no Atomics.notify, whose cost on a
 * busy machine is the poster losing its core to the woken worker (≈ 1 ms measured at load 20).
 */
const POLL_WAIT_MS = 0.25;
/** How often (ms) a worker looks at the load average (it does not spin above threads + 1). */
const BUSY_CHECK_MS = 500;
const POLL_MS = 200;
/** How long (µs) the calling thread spins for a worker's part before it sleeps (a sleeping caller costs a wake-up too). */
const CALLER_SPIN_US = 300;

// The worker: instantiate the same module over the same memory, then run jobs forever. (No
// comments inside the source string: it ships verbatim in a page's kernels chunk.)
// - eval'd code is CJS or ESM depending on how the parent started (--input-type=module): it takes
//   the module without require or import.
// - Between jobs it spins up to spinMs (not while calm), then polls (short sleeps that need no
//   wake-up: a job posted meanwhile is found within POLL_WAIT_MS, its chunks shared from then on)
//   up to POLL_MS, then parks (PARKED tells the poster to notify). The poster stores seq before it
//   reads PARKED and this thread stores PARKED before Atomics.wait reads seq, so one of the two
//   sees the other's store. After it was preempted while spinning (other processes want the
//   cores) it polls at once until calmAt, and it does not spin while the load average exceeds
//   the engine's threads + 1 (looked up every BUSY_CHECK_MS): with other processes running,
//   spinning only spends the process's share of the CPU before the real work comes.
// - Code 20: a k range of a product in k blocks, into this worker's own C (summed by the caller).
// - Codes 0, 1 (products' rows) and ≥ 4 (one-pass loops' items): chunks from the shared counter,
//   unless the caller took the job back before this worker claimed it.
const WORKER_SOURCE = `
const { workerData } = typeof require === 'function' ? require('node:worker_threads') : process.getBuiltinModule('node:worker_threads');
const { module, memory, ctl, slot, spinMs, nextAt, busyLoad } = workerData;
const os = typeof require === 'function' ? require('node:os') : process.getBuiltinModule('node:os');
let busy = false, busyAt = 0;
const all = new Int32Array(ctl);
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(ctl, slot * ${CTL_INTS} * 4, ${CTL_INTS});
Atomics.store(c, ${READY}, 1);
let seen = 0;
let calmAt = 0;
for (;;) {
  let last = performance.now();
  const idleFrom = last;
  if (last >= busyAt) {
    busy = os.loadavg()[0] > busyLoad;
    busyAt = last + ${BUSY_CHECK_MS};
  }
  const until = last >= calmAt && !busy ? last + spinMs : 0;
  let spins = 0;
  while (Atomics.load(c, ${SEQ}) === seen) {
    if ((++spins & 255) !== 0) continue;
    const now = performance.now();
    if (now - last > ${PREEMPTED_MS}) calmAt = now + ${CALM_MS};
    last = now;
    if (now < until && now >= calmAt) continue;
    if (now < idleFrom + ${POLL_MS}) {
      Atomics.wait(c, ${SEQ}, seen, ${POLL_WAIT_MS});
      last = performance.now();
      continue;
    }
    Atomics.store(c, ${PARKED}, 1);
    while (Atomics.load(c, ${SEQ}) === seen) Atomics.wait(c, ${SEQ}, seen, 1000);
    Atomics.store(c, ${PARKED}, 0);
  }
  seen = Atomics.load(c, ${SEQ});
  if (c[${QUIT}] === 1) break;
  const code = c[${FN}];
  if (code === 2) ex.im2col(c[3], c[4], c[5]);
  else if (code === 3) ex.col2im(c[3], c[4], c[5]);
  else if (code === 20) {
    const [aT, a, lda, b, ldb, cc, ldc, mp, n, k0, k1, blk, ws] = c.subarray(3, 16);
    for (let k = k0; k < k1; k += blk) {
      const kb = Math.min(blk, k1 - k);
      (aT ? ex.gemm_at : ex.gemm_an)(aT ? a + k * lda * 4 : a + k * 4, lda, b + k * ldb * 4, ldb, cc, ldc, 0, mp, n, kb, 0, 0, k === k0 ? 0 : 1, ws);
    }
  }
  else if (code >= 4) {
    if (Atomics.compareExchange(c, ${CLAIM}, seen, -1) !== seen) continue;
    const f = ex[${JSON.stringify(ONE_PASS)}[code - 4]];
    const [p, lo, hi, chunk] = c.subarray(3, 7);
    for (;;) {
      const r = lo + Atomics.add(all, nextAt, chunk);
      if (r >= hi) break;
      f(p, r, Math.min(hi, r + chunk));
    }
  }
  else {
    if (Atomics.compareExchange(c, ${CLAIM}, seen, -1) !== seen) continue;
    const f = code === 1 ? ex.gemm_at : ex.gemm_an;
    const [a, lda, b, ldb, cc, ldc, chunk, mp, n, k, bias, relu, acc, ws] = c.subarray(3, 17);
    for (;;) {
      const r = Atomics.add(all, nextAt, chunk);
      if (r >= mp) break;
      f(a, lda, b, ldb, cc, ldc, r, Math.min(mp, r + chunk), n, k, bias, relu, acc, ws);
    }
  }
  Atomics.store(c, ${DONE}, seen);
  Atomics.notify(c, ${DONE});
}
`;

interface WorkerLike {
  unref(): void;
  on(event: 'error', listener: (err: unknown) => void): void;
  terminate(): Promise<number>;
}
interface WorkerThreads {
  Worker: new (src: string, opts: { eval: boolean; workerData: unknown }) => WorkerLike;
}

/** `worker_threads` when this is Node (≥ 20.16 has process.getBuiltinModule), else null. */
function workerThreads(): WorkerThreads | null {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return (p?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined) ?? null;
}

/** WORKER_SPIN_US, or NEURONA_GEMM_SPIN_US where the process sets it (a developer switch for A/B runs). */
function defaultSpin(): number {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NEURONA_GEMM_SPIN_US;
  return v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : WORKER_SPIN_US;
}

function cores(): number {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = p?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
  return os ? (os.availableParallelism?.() ?? os.cpus().length) : 1;
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/** Products whose k exceeds this are computed in k blocks of K_BLOCK (C accumulated). */
const K_SPLIT = 1024;
const K_BLOCK = 256;
/** Float offset where the engine's own areas end: the first 64 bytes are left alone, then the patch parameters. */
export const SCRATCH_BASE = 64;
/**
 * Floats of each thread's packing workspace, from SCRATCH_BASE on (thread t's at
 * SCRATCH_BASE + t·WS_FLOATS): a 4-row strip of a transposed A over at most K_SPLIT values of k
 * (every product with a longer k is computed in k blocks). Regions and scratch layouts start above.
 */
const WS_FLOATS = 4 * K_SPLIT + 16;
/** Byte address of the patch functions' parameter block (PATCH_PARAMS, 25 i32). */
const PATCH_PARAMS_AT = 64;

/** A product on regions of the engine's memory (float offsets), for `GemmEngine.gemm`. */
export interface GemmRegion {
  a: number;
  lda: number;
  aTransposed: boolean;
  b: number;
  ldb: number;
  c: number;
  ldc: number;
  m: number;
  n: number;
  k: number;
  /** Float offset of a bias of n values (added once), or 0. */
  bias?: number;
  relu?: boolean;
  /** Add to C instead of overwriting it. */
  accumulate?: boolean;
}

/** Description of one matrix operand: a row-major `rows × cols` array, used transposed or not. */
export interface Operand {
  data: Float32Array;
  rows: number;
  cols: number;
  transposed: boolean;
}

/** What the engine's threads did since it was built (for profiles: bench/src/profile-compiled.ts). */
export interface EngineStats {
  /** Jobs handed to a worker. */
  posted: number;
  /** Of those, products a worker had not started when this thread had taken every row: taken back, not waited for. */
  takenBack: number;
  /** Jobs that found their worker parked and had to wake it (Atomics.notify). */
  wakeUps: number;
  /** Milliseconds this thread spent waiting for workers to finish their part. */
  waitMs: number;
}

/** A GEMM engine with its own memory and threads. */
export class GemmEngine {
  /** Counters of the threads' hand-offs (read them; they only grow). */
  readonly stats: EngineStats = { posted: 0, takenBack: 0, wakeUps: 0, waitMs: 0 };
  readonly threads: number;
  /** Whether the GEMM's multiply-adds are fused (the relaxed-SIMD variant of the module). */
  readonly fma: boolean;
  /** The engine's memory: other modules of this package (the recurrent gate passes) import it to work on its regions in place. */
  readonly memory: WebAssembly.Memory;
  private readonly ex: GemmExports;
  private readonly ctl: Int32Array | null;
  private readonly workers: WorkerLike[] = [];
  private f32: Float32Array;
  private seq = 0;
  /** Index in `ctl` of the shared counter of rows handed out (products). */
  private next = 0;
  /** µs an idle worker spins before it parks, and the caller before it sleeps on a worker (see WORKER_SPIN_US). */
  private readonly callerSpinMs: number;
  // Regions reserved by training plans (float offsets, [start, end)), and where free memory
  // starts: after the last region still held. Every scratch layout (matmul's, the convolution
  // kernels' from `scratchBase()`) starts there.
  private readonly regions: { start: number; end: number; held: boolean }[] = [];
  private top: number;
  /** Where free memory starts when no region is held: above the threads' packing workspaces. */
  private readonly base: number;

  /**
   * `fma`: build the module's relaxed-SIMD variant (fused multiply-adds); default: where this
   * runtime has relaxed SIMD. `true` on a runtime without it throws. `spinMicros`: how long an
   * idle worker spins for its next job before it polls (default 2000, or NEURONA_GEMM_SPIN_US;
   * 0: no spin, the worker polls then parks; docs/perf.md, "Fifth increment").
   */
  constructor(threads = cores(), fma = relaxedSimdSupported(), spinMicros = defaultSpin()) {
    if (fma && !relaxedSimdSupported()) {
      throw new Error('GemmEngine: fma needs WebAssembly relaxed SIMD, which this runtime lacks (Node 20/21: --experimental-wasm-relaxed-simd, which @neurona/backend-node sets)');
    }
    this.fma = fma;
    if (!(Number.isFinite(spinMicros) && spinMicros >= 0)) throw new Error(`GemmEngine: spinMicros must be a number >= 0, got ${spinMicros}`);
    this.callerSpinMs = Math.min(spinMicros, CALLER_SPIN_US) / 1000;
    const wt = threads > 1 ? workerThreads() : null;
    this.threads = wt ? threads : 1;
    this.base = roundUp(SCRATCH_BASE + this.threads * WS_FLOATS, 16);
    this.top = this.base;
    const shared = this.threads > 1;
    this.memory = new WebAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared } as WebAssembly.MemoryDescriptor);
    const module = new WebAssembly.Module(gemmModuleBytes(shared, MAX_PAGES, fma));
    this.ex = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as GemmExports;
    this.f32 = new Float32Array(this.memory.buffer);
    this.ensure(this.base);
    if (wt && shared) {
      // the workers' blocks, then the shared row counter of products (NEXT)
      const ctl = new SharedArrayBuffer(CTL_INTS * 4 * (this.threads - 1) + 64);
      this.ctl = new Int32Array(ctl);
      this.next = CTL_INTS * (this.threads - 1);
      for (let w = 0; w < this.threads - 1; w++) {
        const worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: this.memory, ctl, slot: w, spinMs: spinMicros / 1000, nextAt: this.next, busyLoad: this.threads + 1 } });
        worker.unref(); // an idle engine never keeps the process alive
        // A worker that cannot start never says ready and so never gets rows; without a listener
        // its error would end the whole process.
        worker.on('error', () => undefined);
        this.workers.push(worker);
      }
    } else {
      this.ctl = null;
    }
  }

  /** A float32 view of the engine's memory with room for `floats` values from 64 bytes on. */
  private ensure(floats: number): Float32Array {
    const need = 64 + floats * 4;
    if (need > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((need - this.memory.buffer.byteLength) / 65536));
    }
    if (this.f32.buffer !== this.memory.buffer || this.f32.length * 4 < need) this.f32 = new Float32Array(this.memory.buffer);
    return this.f32;
  }

  /** Whether a product with operands of these sizes fits the engine's memory (else use another path). */
  fits(aSize: number, bSize: number, M: number, N: number, K: number): boolean {
    const Np = roundUp(N, 8);
    return 4 * (this.top + aSize + 2 * bSize + K * Np + (M + 4) * Np + 16 * (M + K)) < (MAX_PAGES - 1) * 65536;
  }

  /**
   * `out = op(a) · op(b) (+ bias) (relu)` where `op` transposes an operand marked `transposed`.
   * `out` is the row-major `M × N` result, filled in place. Check `fits` first.
   */
  matmul(a: Operand, b: Operand, out: Float32Array, bias?: Float32Array | null, relu = false): void {
    const M = a.transposed ? a.cols : a.rows;
    const K = a.transposed ? a.rows : a.cols;
    const N = b.transposed ? b.rows : b.cols;
    const Mp = roundUp(Math.max(M, 1), 4);
    const Np = roundUp(Math.max(N, 1), 8);
    // B must be [K, Np] row-major: used as is when it already is, else packed (padded/transposed).
    const packB = b.transposed || Np !== N;
    // Layout (in floats, from byte 64): A (+4 rows of slack), B, B scratch, C, bias.
    const aSize = a.data.length + 4 * Math.max(a.cols, a.rows) + 16;
    const aOff = roundUp(this.top, 4);
    const bOff = roundUp(aOff + aSize, 4);
    const bRaw = packB ? roundUp(bOff + K * Np, 4) : bOff;
    const cOff = roundUp(bRaw + b.data.length, 4);
    const biasOff = roundUp(cOff + Mp * Np, 4);
    const f = this.ensure(biasOff + Np);
    f.set(a.data, aOff);
    f.fill(0, aOff + a.data.length, aOff + aSize);
    f.set(b.data, bRaw);
    if (packB) {
      f.fill(0, bOff, bOff + K * Np);
      if (b.transposed) this.ex.transpose(bRaw * 4, b.rows, b.cols, b.cols, bOff * 4, Np);
      else this.ex.copy2d(bRaw * 4, K, N, N, bOff * 4, Np);
    }
    let biasPtr = 0;
    if (bias) {
      f.set(bias, biasOff);
      f.fill(0, biasOff + N, biasOff + Np);
      biasPtr = biasOff * 4;
    }
    // A(i, k) at (i·lda + k) when stored as is, (k·lda + i) when stored transposed: lda = cols
    this.blocked({ a: aOff, lda: a.cols, aTransposed: a.transposed, b: bOff, ldb: Np, c: cOff, ldc: Np, m: M, n: Np, k: K, bias: biasPtr / 4, relu });
    if (Np === N) out.set(f.subarray(cOff, cOff + M * N));
    else for (let i = 0; i < M; i++) out.set(f.subarray(cOff + i * Np, cOff + i * Np + N), i * N);
  }

  /** Byte address of thread t's packing workspace (t = 0 is this thread, w ≥ 1 worker w). */
  private ws(t: number): number {
    return (SCRATCH_BASE + t * WS_FLOATS) * 4;
  }

  /** Split rows [0, Mp) over the threads, run, wait. `args` = a, lda, b, ldb, c, ldc, n, k, bias, relu, acc. */
  private run(fn: number, args: number[], Mp: number, macs: number): void {
    const ctl = this.ctl;
    // Only workers that said they are ready get rows: one that failed to start (or has not yet)
    // must never be waited for.
    const parts = ctl && macs >= THREAD_MIN_MACS ? Math.min(this.readyWorkers() + 1, Mp / 4) : 1;
    const [a, lda, b, ldb, c, ldc, n, k, bias, relu, acc = 0] = args;
    const f = fn === 1 ? this.ex.gemm_at : this.ex.gemm_an;
    if (!ctl || parts < 2) {
      f(a, lda, b, ldb, c, ldc, 0, Mp, n, k, bias, relu, acc, this.ws(0));
      return;
    }
    const chunk = Math.max(4, roundUp(Math.ceil(Mp / CHUNKS), 4));
    this.share(parts, fn, (w) => [a, lda, b, ldb, c, ldc, chunk, Mp, n, k, bias, relu, acc, this.ws(w)], Mp, chunk, (r0, r1) =>
      f(a, lda, b, ldb, c, ldc, r0, r1, n, k, bias, relu, acc, this.ws(0)),
    );
  }

  /**
   * Run job `fn` as chunks of [0, total) taken from a shared counter by this thread (`mine`) and
   * workers 1..parts-1 (`args(w)`): a worker that starts late (waking, or descheduled by other
   * processes) takes fewer, and one that has not started when every chunk is taken is taken back,
   * not waited for.
   */
  private share(parts: number, fn: number, args: (w: number) => number[], total: number, chunk: number, mine: (r0: number, r1: number) => void): void {
    const ctl = this.ctl as Int32Array;
    const seq = ++this.seq;
    Atomics.store(ctl, this.next, 0);
    for (let w = 1; w < parts; w++) {
      ctl[(w - 1) * CTL_INTS + CLAIM] = seq;
      this.post(w, fn, args(w), seq);
    }
    for (;;) {
      const r = Atomics.add(ctl, this.next, chunk);
      if (r >= total) break;
      mine(r, Math.min(total, r + chunk));
    }
    for (let w = 1; w < parts; w++) {
      // not started: take the job back (it then skips it); started: wait for its last chunk
      if (Atomics.compareExchange(ctl, (w - 1) * CTL_INTS + CLAIM, seq, 0) !== seq) this.waitFor(w, seq);
      else this.stats.takenBack++;
    }
  }

  /**
   * Reserve `floats` zeroed floats of the engine's memory for a training plan's persistent buffers
   * (weights, gradients, optimizer state, activations). Returns the region's float offset, or -1
   * when the memory cannot hold it. Scratch layouts start above every held region (`scratchBase`).
   * `zero` false leaves the region's old values (a caller that overwrites all of it at once).
   */
  reserve(floats: number, zero = true): number {
    const start = roundUp(this.top, 16);
    const end = start + floats;
    if (4 * (end + 16) >= (MAX_PAGES - 1) * 65536) return -1;
    const f = this.ensure(end + 16);
    if (zero) f.fill(0, start, end);
    this.regions.push({ start, end, held: true });
    this.top = end + 16;
    return start;
  }

  /** Give back a region from `reserve`; free memory starts again after the last region still held. */
  release(start: number): void {
    const r = this.regions.find((x) => x.start === start && x.held);
    if (!r) return;
    r.held = false;
    while (this.regions.length > 0 && !this.regions[this.regions.length - 1].held) this.regions.pop();
    const last = this.regions[this.regions.length - 1];
    this.top = last ? last.end + 16 : this.base;
  }

  /** Float offset where scratch layouts start: above the engine's packing workspaces and the regions plans hold. */
  scratchBase(): number {
    return this.top;
  }

  /** A float32 view of the whole memory (a new view after the memory grew: take it again after any call). */
  heap(): Float32Array {
    return this.ensure(this.top);
  }

  /** `dst(c, r) = src(r, c)` for a `rows × cols` matrix in the engine's memory (float offsets, row strides). */
  transposeInto(src: number, rows: number, cols: number, lds: number, dst: number, ldd: number): void {
    this.ex.transpose(src * 4, rows, cols, lds, dst * 4, ldd);
  }

  /**
   * A float32 view of the engine's memory with room for `floats` values from float offset
   * `scratchBase()` on: kernels lay their operands out there and call `gemm`. Growing the memory
   * replaces the view: take a new one after every call that may grow it.
   */
  scratch(floats: number): Float32Array {
    return this.ensure(floats + SCRATCH_BASE);
  }

  /**
   * `C = op(A)·B (+ bias) (relu)`, or `C += op(A)·B` with `accumulate`, on regions of the
   * engine's memory given as float offsets (see `scratch`). A is `m × k` (stored `k × m` when
   * `aTransposed`), row stride `lda`; B is `k × n` with row stride `ldb`; C is `m × n`, row stride
   * `ldc`. `n`, `ldb` and `ldc` must be multiples of 8; C must have room for m rounded up to 4
   * rows, and A for the reads of those rows (4 spare rows, or 4 spare floats when transposed).
   * A long k is split into blocks whose panels stay in cache (the product of a convolution's
   * filter gradient sums over every output cell of a batch).
   */
  gemm(g: GemmRegion): void {
    const { n } = g;
    if (n % 8 !== 0 || g.ldb % 8 !== 0 || g.ldc % 8 !== 0) throw new Error(`GemmEngine.gemm: n, ldb and ldc must be multiples of 8, got ${n}, ${g.ldb}, ${g.ldc}`);
    this.blocked(g);
  }

  /** `gemm` without the checks (matmul's own layout meets them): k in blocks of at most K_SPLIT, the packing workspace's length. */
  private blocked(g: GemmRegion): void {
    const { m, n, k } = g;
    const Mp = roundUp(Math.max(m, 1), 4);
    const fn = g.aTransposed ? 1 : 0;
    const block = k > K_SPLIT ? K_BLOCK : k;
    for (let k0 = 0; k0 < k || k0 === 0; k0 += block) {
      const kb = Math.min(block, k - k0);
      const first = k0 === 0;
      const last = k0 + block >= k;
      const aOff = g.a + (g.aTransposed ? k0 * g.lda : k0);
      this.run(fn, [aOff * 4, g.lda, (g.b + k0 * g.ldb) * 4, g.ldb, g.c * 4, g.ldc, n, kb, first && g.bias ? g.bias * 4 : 0, last && g.relu ? 1 : 0, first && !g.accumulate ? 0 : 1], Mp, m * n * kb);
      if (k === 0) break;
    }
  }

  /**
   * `gemm` without bias or relu, its k range split over the threads instead of its rows: for
   * products with few rows of C and a long k (a convolution's filter gradient, k = every output
   * cell of the batch). The caller runs one dispatch instead of one per k block. Worker w sums its
   * part into its own C at `spare + (w − 1)·m4·ldc` (m4 = m rounded up to 4; the caller leaves
   * that room: `splitKSpare`), then this thread adds those into C.
   */
  gemmSplitK(g: GemmRegion, spare: number): void {
    const { m, n, k } = g;
    const Mp = roundUp(Math.max(m, 1), 4);
    const parts = this.ctl && m * n * k >= 2 * THREAD_MIN_MACS ? Math.min(this.readyWorkers() + 1, Math.floor(k / K_BLOCK)) : 1;
    if (parts < 2 || g.bias || g.relu) {
      this.gemm(g);
      return;
    }
    const bounds = Array.from({ length: parts + 1 }, (_, i) => Math.round((k * i) / parts));
    const seq = ++this.seq;
    for (let w = 1; w < parts; w++) {
      const c = (spare + (w - 1) * Mp * g.ldc) * 4;
      this.post(w, 20, [g.aTransposed ? 1 : 0, g.a * 4, g.lda, g.b * 4, g.ldb, c, g.ldc, Mp, n, bounds[w], bounds[w + 1], K_BLOCK, this.ws(w)], seq);
    }
    // this thread's part straight into C, on this thread only
    for (let k0 = 0; k0 < bounds[1]; k0 += K_BLOCK) {
      const kb = Math.min(K_BLOCK, bounds[1] - k0);
      const aOff = g.a + (g.aTransposed ? k0 * g.lda : k0);
      (g.aTransposed ? this.ex.gemm_at : this.ex.gemm_an)(aOff * 4, g.lda, (g.b + k0 * g.ldb) * 4, g.ldb, g.c * 4, g.ldc, 0, Mp, n, kb, 0, 0, k0 === 0 && !g.accumulate ? 0 : 1, this.ws(0));
    }
    this.wait(parts, seq);
    const f = this.heap();
    for (let w = 1; w < parts; w++) {
      const src = spare + (w - 1) * Mp * g.ldc;
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) f[g.c + i * g.ldc + j] += f[src + i * g.ldc + j];
    }
  }

  /** Floats `gemmSplitK` needs at `spare` for a product with m rows and row stride ldc. */
  splitKSpare(m: number, ldc: number): number {
    return (this.threads - 1) * roundUp(Math.max(m, 1), 4) * ldc;
  }

  /**
   * im2col (or, with `accumulate`, col2im) of patch rows [m0, m1) on regions of the engine's
   * memory. `p` holds the PATCH_PARAMS by name, with x and dst as float offsets. Rows are split
   * over the threads; col2im only at multiples of `rowsPerImage` (different images never add
   * into the same cells).
   */
  patches(p: Record<(typeof PATCH_PARAMS)[number], number>, m0: number, m1: number, accumulate: boolean, rowsPerImage: number): void {
    const ints = new Int32Array(this.memory.buffer, PATCH_PARAMS_AT, PATCH_PARAMS.length);
    PATCH_PARAMS.forEach((name, i) => (ints[i] = name === 'x' || name === 'dst' ? p[name] * 4 : p[name]));
    const code = accumulate ? 3 : 2;
    const ctl = this.ctl;
    const rows = m1 - m0;
    const unit = accumulate ? rowsPerImage : 64;
    const parts = ctl && rows >= 2 * unit && rows * p.KD * p.KH * p.KW * p.cg >= PATCH_MIN_FLOATS ? Math.min(this.readyWorkers() + 1, Math.floor(rows / unit)) : 1;
    // split points at absolute multiples of `unit` (image boundaries for col2im)
    const bounds = Array.from({ length: parts + 1 }, (_, i) =>
      i === 0 ? m0 : i === parts ? m1 : Math.min(m1, Math.max(m0, Math.round((m0 + (rows * i) / parts) / unit) * unit)),
    );
    const seq = ++this.seq;
    for (let w = 1; w < parts; w++) this.post(w, code, [PATCH_PARAMS_AT, bounds[w], bounds[w + 1]], seq);
    (accumulate ? this.ex.col2im : this.ex.im2col)(PATCH_PARAMS_AT, bounds[0], bounds[1]);
    if (ctl) this.wait(parts, seq);
  }

  /**
   * Run the one-pass loop `name` (onepass-module.ts) over items [lo, hi) with these i32
   * parameters (byte addresses given as float offsets are the caller's to convert: pass bytes),
   * split over the threads at multiples of `unit` when the work (`floats` touched) is large
   * enough.
   */
  onePass(name: OnePassName, params: number[], lo: number, hi: number, unit: number, floats: number): void {
    if (params.length > MAX_PARAMS) throw new Error(`GemmEngine.onePass: at most ${MAX_PARAMS} parameters, got ${params.length}`);
    new Int32Array(this.memory.buffer, PATCH_PARAMS_AT, params.length).set(params);
    const code = 4 + ONE_PASS.indexOf(name);
    const ctl = this.ctl;
    const units = Math.floor((hi - lo) / unit);
    const parts = ctl && floats >= ONE_PASS_MIN_FLOATS && units >= 2 ? Math.min(this.readyWorkers() + 1, units) : 1;
    const f = this.ex[name];
    if (parts < 2) {
      f(PATCH_PARAMS_AT, lo, hi);
      return;
    }
    // chunks at multiples of `unit` from lo (the last one ends at hi)
    const chunk = unit * Math.max(1, Math.ceil(units / CHUNKS));
    this.share(parts, code, () => [PATCH_PARAMS_AT, lo, hi, chunk], hi - lo, chunk, (r0, r1) => f(PATCH_PARAMS_AT, lo + r0, lo + r1));
  }

  /** Hand worker `w` (1-based) job `fn` with these arguments, as job number `seq`. */
  private post(w: number, fn: number, args: number[], seq: number): void {
    const ctl = this.ctl as Int32Array;
    const base = (w - 1) * CTL_INTS;
    ctl[base + FN] = fn;
    ctl.set(args, base + ARGS);
    Atomics.store(ctl, base + SEQ, seq);
    this.stats.posted++;
    // only a parked worker needs the (costly) wake-up; a spinning one sees seq change
    if (Atomics.load(ctl, base + PARKED) === 1) {
      this.stats.wakeUps++;
      Atomics.notify(ctl, base + SEQ);
    }
  }

  /** Wait until workers 1..parts-1 have finished job `seq`. */
  private wait(parts: number, seq: number): void {
    for (let w = 1; w < parts; w++) this.waitFor(w, seq);
  }

  /** Wait until worker `w` has finished job `seq`. */
  private waitFor(w: number, seq: number): void {
    const ctl = this.ctl as Int32Array;
    const base = (w - 1) * CTL_INTS;
    let spins = 0;
    let until = 0;
    if (Atomics.load(ctl, base + DONE) === seq) return;
    const t0 = performance.now();
    while (Atomics.load(ctl, base + DONE) !== seq) {
      // spin a while (the worker's part usually ends within µs of this thread's), then sleep:
      // a worker descheduled by other processes may need this core
      if ((++spins & 255) !== 0) continue;
      const now = performance.now();
      if (until === 0) until = now + this.callerSpinMs;
      else if (now >= until) Atomics.wait(ctl, base + DONE, Atomics.load(ctl, base + DONE), 10);
    }
    this.stats.waitMs += performance.now() - t0;
  }

  /** Threads that take part in large products now: the caller plus the workers that started. */
  readyThreads(): number {
    return 1 + this.readyWorkers();
  }

  /** How many workers, from the first on, have started and wait for jobs. */
  private readyWorkers(): number {
    let n = 0;
    while (this.ctl && n < this.workers.length && Atomics.load(this.ctl, n * CTL_INTS + READY) === 1) n++;
    return n;
  }

  /** Stop the workers. */
  async dispose(): Promise<void> {
    if (this.ctl) for (let w = 0; w < this.workers.length; w++) {
      this.ctl[w * CTL_INTS + QUIT] = 1;
      Atomics.add(this.ctl, w * CTL_INTS + SEQ, 1);
      Atomics.notify(this.ctl, w * CTL_INTS + SEQ);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
