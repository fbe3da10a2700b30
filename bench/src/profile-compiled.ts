// Developer tool (not part of `pnpm bench`): where the time of a compiled dense training step goes.
// Times each part of the step on the fast kernels' memory (best of many repetitions, so other
// processes on the machine inflate it least), the whole step through fit() compiled and on the
// tape (alternating), and the GEMM's rate on a large product.
// node dist/profile-compiled.js [mlp|mlp_adam] [batch] [rounds]
import * as T from '@neurona/tensor';
import {
  PlanMemory,
  activationGradRows,
  columnSums,
  fusedOptimizerStep,
  softmaxCrossEntropyRows,
  useFastKernels,
  relaxedSimdSupported,
  fastKernelsStatus,
  ResidentRows,
} from '@neurona/kernels';
import { setFlagsFromString } from 'node:v8';
import { startBackend } from './backends';
import { makeDataset, initialWeights, layerSizes, trainingOf, INPUT, CLASSES } from './data';
import { neurona } from './impls/neurona';
import type { CaseName } from './types';

const [c = 'mlp', b = '128', r = '3'] = process.argv.slice(2);
const caseName = c as CaseName;
await startBackend('wasm');
// as useNodeBackend does: fused multiply-adds in the GEMM unless NEURONA_RELAXED_SIMD=0
if (process.env.NEURONA_RELAXED_SIMD?.trim() !== '0' && !relaxedSimdSupported()) setFlagsFromString('--experimental-wasm-relaxed-simd');
useFastKernels(process.env.THREADS ? { threads: Number(process.env.THREADS) } : true);
const B = Number(b);
const [I, H, C] = layerSizes(caseName);
const up8 = (n: number) => Math.ceil(n / 8) * 8;
const Hp = up8(H), Cp = up8(C);

/** Best time of `reps` runs of `f`, in ms. */
function best(f: () => void, reps = 200): number {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  medians.push(ts[ts.length >> 1]);
  return ts[0];
}
const medians: number[] = [];

const P = I * Hp + Hp + H * Cp + Cp;
const rows = B + 8;
// every buffer taken below, with each take's rounding (Y past the region's end once landed in the next one)
const mem = PlanMemory.reserve(4 * P + rows * (I + 2 * Hp + 2 * Cp) + Cp * Hp + B * C + 11 * 32);
if (!mem) throw new Error('fast kernels are not active');
let at = mem.start;
const take = (n: number) => { const o = at; at += Math.ceil((n + 8) / 16) * 16; if (at > mem.start + mem.size) throw new Error('profile: the buffers overrun the region'); return o; };
const params = take(P), grads = take(P), m1 = take(P), m2 = take(P);
const W1 = params, b1 = W1 + I * Hp, W2 = b1 + Hp, b2 = W2 + H * Cp;
const dW1 = grads, dW2 = grads + (W2 - params);
const X = take(rows * I), A1 = take(rows * Hp), D1 = take(rows * Hp), A2 = take(rows * Cp), D2 = take(rows * Cp), WT = take(Cp * Hp), Y = take(B * C);
const h = mem.heap();
for (let i = mem.start; i < at; i++) h[i] = Math.random() * 0.1;
const src = new Float32Array(60000 * I).map(() => Math.random());
// a batch of shuffled rows, new rows every repetition (cold in the caches, as in fit): copied by
// this thread from a JavaScript array, or gathered by the engine's threads from a copy in its memory
const order = Int32Array.from({ length: 60000 }, (_, i) => i);
for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
let at0 = 0;
const nextRows = () => { if (at0 + B > order.length) at0 = 0; const picked = order.subarray(at0, at0 + B); at0 += B; return picked; };
const resident = ResidentRows.create([{ values: src, width: I }], 60000, B);
const parts: [string, () => void, number][] = [
  ['copy the batch rows in', () => { const v = mem.heap(); for (let i = 0; i < B; i++) v.set(src.subarray((i * 37) * I, (i * 37 + 1) * I), X + i * I); }, 0],
  ['copy shuffled rows (this thread, cold)', () => { const v = mem.heap(); const picked = nextRows(); for (let i = 0; i < B; i++) v.set(src.subarray(picked[i] * I, (picked[i] + 1) * I), X + i * I); }, 0],
  ['gather shuffled rows (resident, threads, cold)', () => resident?.gather(nextRows(), B, [X]), 0],
  [`forward ${I}→${H} (GEMM + bias + relu)`, () => mem.product(false, X, I, W1, Hp, A1, Hp, B, Hp, I, b1, true), 2 * B * I * Hp],
  [`forward ${H}→${C} (GEMM + bias)`, () => mem.product(false, A1, Hp, W2, Cp, A2, Cp, B, Cp, H, b2), 2 * B * H * Cp],
  ['softmax cross-entropy + gradient', () => softmaxCrossEntropyRows(mem.heap(), A2, D2, Cp, B, C, { y: Y, ldy: C, sparse: false, weights: -1, scale: 1 / B }), 0],
  [`dW2 = A1ᵀ·dZ2 (${H}×${C}×${B})`, () => mem.product(true, A1, Hp, D2, Cp, dW2, Cp, H, Cp, B), 2 * H * Cp * B],
  ['db2, db1 (column sums)', () => { columnSums(mem.heap(), D2, Cp, B, C, grads + (b2 - params)); columnSums(mem.heap(), D1, Hp, B, H, grads + (b1 - params)); }, 0],
  [`dA1 = dZ2·W2ᵀ (transpose + GEMM)`, () => { mem.transpose(W2, H, Cp, Cp, WT, Hp); mem.product(false, D2, Cp, WT, Hp, D1, Hp, B, Hp, Cp); }, 2 * B * Cp * Hp],
  ['relu derivative', () => activationGradRows(mem.heap(), D1, Hp, A1, Hp, B, H, 'relu'), 0],
  [`dW1 = Xᵀ·dZ1 (${I}×${H}×${B})`, () => mem.product(true, X, I, D1, Hp, dW1, Hp, I, Hp, B), 2 * I * Hp * B],
  [`fused ${trainingOf(caseName).optimizer === 'adam' ? 'Adam' : 'SGD'} over ${P} parameters`, () => fusedOptimizerStep(mem.heap(), trainingOf(caseName).optimizer === 'adam'
    ? { kind: 'adam', params, grads, slots: [m1, m2], segments: [{ offset: 0, length: P }], learningRate: 1e-3, step: 10 }
    : { kind: 'sgd', params, grads, slots: [], segments: [{ offset: 0, length: P }], learningRate: 0.01, step: 10, momentum: 0 }), 0],
];
console.log(`${caseName} b${B} on wasm, ${JSON.stringify(fastKernelsStatus().threadsReady)} GEMM threads ready, FMA ${fastKernelsStatus().fma ? 'on' : 'off'}`);
let sum = 0;
for (const [name, f, flops] of parts) {
  const ms = best(f);
  // the two cold copies are alternatives to the first (hot) one, not parts of the step
  if (!name.includes('cold')) sum += ms;
  console.log(`  ${name.padEnd(44)} ${ms.toFixed(3).padStart(7)} ms (median ${medians[medians.length - 1].toFixed(3)})${flops ? `  ${(flops / ms / 1e6).toFixed(1).padStart(6)} GFLOP/s` : ''}`);
}
console.log(`  ${'sum of the parts'.padEnd(44)} ${sum.toFixed(3).padStart(7)} ms (medians: ${medians.reduce((a, b) => a + b, 0).toFixed(3)} ms)`);
// the GEMM on a large product (its peak here)
const big = PlanMemory.reserve(3 * 1024 * 1024 + 4096);
if (big) {
  const a = big.start, w = a + 1024 * 1024 + 64, o = w + 1024 * 1024 + 64;
  // B of 128 KB (stays in cache) and of 2 MB (the 4×8 kernel streams all of B per 4 rows of C)
  for (const [m, k, nn] of [[1024, 256, 128], [512, 1024, 512]]) {
    const ms = best(() => big.product(false, a, k, w, nn, o, nn, m, nn, k), 20);
    console.log(`  GEMM ${m}×${k}×${nn}: ${ms.toFixed(2)} ms, ${(2 * m * k * nn / ms / 1e6).toFixed(1)} GFLOP/s`);
  }
  big.release();
}
resident?.release();
mem.release();

// the whole step through fit(): compiled and tape, alternating
const steps = Number(process.env.STEPS ?? 40);
const n = B * steps;
const data = makeDataset(n, 1);
const x = T.tensor2d(data.x, [n, INPUT]);
const y = T.tensor2d(data.y, [n, CLASSES]);
const hooks = { begin: () => {}, end: () => {} };
for (let round = 0; round < Number(r); round++) {
  const line: string[] = [];
  for (const jitCompile of process.env.ONLY_COMPILED ? [true] : [true, false]) {
    const how = trainingOf(caseName);
    const tr = await neurona({ caseName, batchSize: B, learningRate: how.learningRate, optimizer: how.optimizer, backend: 'wasm', weights: initialWeights(caseName, 2), x, y, jitCompile });
    await tr.train(1, hooks);
    let t = Infinity;
    // the GEMM threads' hand-offs per step in the best epoch: jobs posted to the worker, taken
    // back (not started when every chunk was taken), wake-ups of a parked worker, time waited
    let handOffs = '';
    for (let k = 0; k < 5; k++) {
      const h0 = fastKernelsStatus().handOffs;
      const t0 = performance.now();
      await tr.train(1, hooks);
      const ms = (performance.now() - t0) / steps;
      const h1 = fastKernelsStatus().handOffs;
      if (ms < t && h0 && h1) {
        const per = (key: keyof typeof h0) => (h1[key] - h0[key]) / steps;
        handOffs = ` [per step: ${per('posted').toFixed(1)} jobs, ${per('takenBack').toFixed(2)} taken back, ${per('wakeUps').toFixed(2)} wake-ups, waited ${(1000 * per('waitMs')).toFixed(0)} µs]`;
      }
      t = Math.min(t, ms);
    }
    line.push(`${tr.plan?.() ?? '?'} ${t.toFixed(3)} ms/step${handOffs}`);
    tr.dispose();
  }
  console.log(`fit() ${caseName} b${B}: ${line.join(', ')} (best of 5 epochs of ${steps} steps)`);
}
process.exit(0);
