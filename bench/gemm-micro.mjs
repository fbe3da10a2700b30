// Developer tool (not part of `pnpm bench`): GFLOP/s of the fast kernels' GEMM (`PlanMemory.product`,
// the engine's `gemm` on its own memory, as the compiled plan calls it) for the products that
// dominate the bench's MLP and convnet steps, on one thread and on all of them. Best of `reps`
// (best-of filters other processes on this shared machine) and the median.
//   node bench/gemm-micro.mjs [ROOT] [reps]
// ROOT: another built checkout to measure (to compare two trees in alternate runs).
// NEURONA_RELAXED_SIMD=0 measures the mul+add GEMM (no fused multiply-adds) of the same tree.
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { loadavg } from 'node:os';

const root = resolve(process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'));
const reps = Number(process.argv[3] ?? 30);
const bn = await import(`${root}/packages/backend-node/dist/index.js`);
const K = await import(`${root}/packages/kernels/dist/index.js`);
await bn.useNodeBackend({ force: 'wasm', silent: true });

const up8 = (n) => Math.ceil(n / 8) * 8;
// [name, transA, M, N, K]: C (M×N) = op(A) (M×K) · B (K×N)
const SHAPES = [
  ['mlp b512 fwd X·W1', false, 512, 128, 784],
  ['mlp b512 dW1 Xᵀ·dZ1', true, 784, 128, 512],
  ['mlp b512 dX dZ1·W1ᵀ', false, 512, 784, 128],
  ['mlp_adam b512 fwd X·W1', false, 512, 256, 784],
  ['mlp_adam b512 dW1 Xᵀ·dZ1', true, 784, 256, 512],
  ['mlp b128 fwd X·W1', false, 128, 128, 784],
  ['mlp b128 dW1 Xᵀ·dZ1', true, 784, 128, 128],
  ['cnn conv2 fwd col·W', false, 15488, 64, 288],
  ['cnn conv2 dcol dY·Wᵀ', false, 15488, 288, 64],
  ['cnn conv2 dW colᵀ·dY', true, 288, 64, 15488],
];

/** Best and median ms of `reps` runs of f. */
function time(f) {
  for (let i = 0; i < 3; i++) f();
  const ts = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return [ts[0], ts[ts.length >> 1]];
}

const rows = [];
let fma = false;
for (const threads of [1, 2]) {
  K.useFastKernels({ threads });
  fma = K.fastKernelsStatus().fma ?? false;
  // workers start a few ms after the engine
  for (let i = 0; i < 100 && K.fastKernelsStatus().threadsReady < threads; i++) await new Promise((r) => setTimeout(r, 20));
  for (const [name, transA, M, N, Kd] of SHAPES) {
    const Np = up8(N);
    const Mp = Math.ceil(M / 4) * 4;
    const lda = transA ? Mp : Kd;
    const aSize = transA ? Kd * Mp + 16 : (Mp + 4) * Kd;
    const mem = K.PlanMemory.reserve(aSize + Kd * Np + (Mp + 4) * Np + 64);
    const a = mem.start, b = a + aSize, c = b + Kd * Np;
    const h = mem.heap();
    for (let i = a; i < c; i++) h[i] = Math.sin(i) * 0.5;
    const [bestMs, medMs] = time(() => mem.product(transA, a, lda, b, Np, c, Np, M, Np, Kd));
    const gf = (2 * M * N * Kd) / 1e6;
    rows.push({ threads, name, M, N, K: Kd, bestMs, medMs, gflops: gf / bestMs, gflopsMed: gf / medMs });
    mem.release();
  }
}
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}, ${reps} reps, FMA ${fma ? 'on' : 'off'}, root ${root}`);
console.log('| threads | product | M×N×K | best ms | GFLOP/s best | GFLOP/s median |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.threads} | ${r.name} | ${r.M}×${r.N}×${r.K} | ${r.bestMs.toFixed(3)} | ${r.gflops.toFixed(1)} | ${r.gflopsMed.toFixed(1)} |`);
process.exit(0);
