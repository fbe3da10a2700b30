// Developer tool (not part of `pnpm bench`): the GEMM micro-kernel's register tile alone, on
// packed operands in L1 (k = 256), for several tile shapes: does a larger tile than the engine's
// 4×8 raise its rate, and where do V8's 16 xmm registers spill? Bundle it and run:
//   node_modules/.pnpm/esbuild@0.27.7/node_modules/esbuild/bin/esbuild bench/gemm-tiles.ts --bundle \
//     --platform=node --format=esm --outfile=/tmp/gemm-tiles.mjs && node /tmp/gemm-tiles.mjs
// Measured (docs/perf.md "Third increment"): every tile using ≤ 15 registers runs at the same
// 45–48 GFLOP/s (the multiply/add ports' limit without FMA); 16 and more spill (1/4 the rate).
// Each tile runs with mul + add and, where the runtime has relaxed SIMD (Node 20: run node with
// --experimental-wasm-relaxed-simd), with f32x4.relaxed_madd (docs/perf.md "Fourth increment").
import { Fn, I32, V128, assemble } from '../packages/kernels/src/wasm-asm';
import { relaxedSimdSupported } from '../packages/kernels/src/relaxed-simd';

/** The micro-kernel alone: C(MR × 4NV) = Σ_k A[k][r] · B[k][v], A packed k-major (MR floats per k), B packed (4NV floats per k), `reps` times. */
function kernel(MR: number, NV: number, fma: boolean): Fn {
  const f = new Fn([I32, I32, I32, I32, I32]);
  const [A, B, C, K, REPS] = [0, 1, 2, 3, 4];
  const pa = f.local(I32), pb = f.local(I32), kk = f.local(I32), rep = f.local(I32);
  const acc = Array.from({ length: MR * NV }, () => f.local(V128));
  const b = Array.from({ length: NV }, () => f.local(V128));
  const av = f.local(V128);
  f.get(REPS).set(rep);
  f.block().loop();
  f.get(rep).eqz().brIf(1);
  for (const r of acc) f.v128Zero().set(r);
  f.get(A).set(pa); f.get(B).set(pb); f.get(K).set(kk);
  f.loop();
  for (let v = 0; v < NV; v++) f.get(pb).v128Load(16 * v).set(b[v]);
  for (let r = 0; r < MR; r++) {
    f.get(pa).v128Load32Splat(4 * r).set(av);
    for (let v = 0; v < NV; v++) {
      if (fma) f.get(av).get(b[v]).get(acc[r * NV + v]).f32x4RelaxedMadd().set(acc[r * NV + v]);
      else f.get(acc[r * NV + v]).get(av).get(b[v]).f32x4Mul().f32x4Add().set(acc[r * NV + v]);
    }
  }
  f.get(pa).i32(4 * MR).add().set(pa);
  f.get(pb).i32(16 * NV).add().set(pb);
  f.get(kk).i32(1).sub().tee(kk).brIf(0);
  f.end();
  for (let i = 0; i < acc.length; i++) f.get(C).get(acc[i]).v128Store(16 * i);
  f.get(rep).i32(1).sub().set(rep);
  f.br(0).end().end();
  return f;
}
const mem = new WebAssembly.Memory({ initial: 64, maximum: 64 });
const f32 = new Float32Array(mem.buffer);
for (let i = 0; i < 200000; i++) f32[i] = Math.sin(i) * 0.01;
const K = 256;
const variants = relaxedSimdSupported() ? [false, true] : [false];
for (const fma of variants) for (const [MR, NV] of [[4, 2], [5, 2], [6, 2], [7, 2], [3, 3], [4, 3], [3, 4], [8, 2], [2, 4]]) {
  const mod = new WebAssembly.Module(assemble({ k: kernel(MR, NV, fma) }, { initial: 1, maximum: 64, shared: false }));
  const ex = new WebAssembly.Instance(mod, { env: { memory: mem } }).exports as { k: (a: number, b: number, c: number, k: number, reps: number) => void };
  const reps = 50;
  for (let t = 0; t < 300; t++) ex.k(0, 40000 * 4, 100000 * 4, K, reps);
  let best = Infinity;
  for (let t = 0; t < 400; t++) {
    const t0 = performance.now();
    ex.k(0, 40000 * 4, 100000 * 4, K, reps);
    best = Math.min(best, performance.now() - t0);
  }
  const flops = 2 * MR * NV * 4 * K * reps;
  console.log(`${fma ? 'fma    ' : 'mul+add'} ${MR}×${4 * NV}: ${(flops / best / 1e6).toFixed(1)} GFLOP/s (registers ${MR * NV + NV + 1})`);
}
