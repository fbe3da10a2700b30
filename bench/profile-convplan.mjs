// Developer tool (not part of `pnpm bench`): the parts of the bench cnn's compiled training step
// (Conv2D 32 relu, MaxPool 2, Conv2D 64 relu, MaxPool 2, Flatten, Dropout 0.5, Dense 10; batch 128,
// wasm) as the plan runs them on its memory (packages/models/src/compiled/conv-front.ts,
// dense-plan.ts): each part's best of 12 steps (best-of filters other processes on this shared
// machine), and the sum. ROOT's kernels choose the schedule: with `planDropoutMask` (session 6)
// the Threefry mask in plan memory and relu's derivative and the bias gradient on the pooled
// gradients; without, the Dropout layer's tfjs mask copied in and the full-size passes.
//   node bench/profile-convplan.mjs [ROOT]
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'));
const bn = await import(`${root}/packages/backend-node/dist/index.js`);
const K = await import(`${root}/packages/kernels/dist/index.js`);
const T = await import(`${root}/packages/tensor/dist/index.js`);
const Ly = await import(`${root}/packages/layers/dist/index.js`);
await bn.useNodeBackend({ force: 'wasm', silent: true });
const fused = typeof K.planDropoutMask === 'function';
const drop = Ly.Dropout(0.5, { seed: 1 });

const n = 128;
const up4 = (v) => Math.ceil(v / 4) * 4;
let at = 0;
const take = (f) => {
  const o = at;
  at += Math.ceil((f + 8) / 16) * 16;
  return o;
};
const imgs = up4(n) + 4;
const g1 = { H: 28, W: 28, C: 1, cin: 1, KH: 3, KW: 3, sh: 1, sw: 1, ph: 0, pw: 0, OH: 26, OW: 26, O: 32 };
const g2 = { H: 13, W: 13, C: 32, cin: 32, KH: 3, KW: 3, sh: 1, sw: 1, ph: 0, pw: 0, OH: 11, OW: 11, O: 64 };
const w1 = { N: n, H: 26, W: 26, C: 32, OH: 13, OW: 13, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 };
const w2 = { N: n, H: 11, W: 11, C: 64, OH: 5, OW: 5, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 };
const o = {
  X: take(imgs * 784), W1: take(12 * 32), b1: take(32), dW1: take(12 * 32), db1: take(32),
  P1: take(imgs * 676 * 16), A1: take(imgs * 676 * 32), G1: take(imgs * 676 * 32),
  Q1: take(imgs * 169 * 32), H1: take(imgs * 169 * 32),
  W2: take(288 * 64), b2: take(64), dW2: take(288 * 64), db2: take(64), WT2: take(64 * 288),
  P2: take(imgs * 121 * 288), A2: take(imgs * 121 * 64), G2: take(imgs * 121 * 64),
  Q2: take(imgs * 1600), H2: take(imgs * 1600), M2: take(imgs * 1600), QD: take(imgs * 1600),
  W3: take(1600 * 16), b3: take(16), dW3: take(1600 * 16), db3: take(16), WT3: take(16 * 1600),
  A3: take(imgs * 16), D3: take(imgs * 16), Y: take(n * 10),
};
const mem = K.PlanMemory.reserve(at);
if (!mem) throw new Error('fast kernels not active');
for (const k of Object.keys(o)) o[k] += mem.start;
const h0 = mem.heap();
for (let i = 0; i < at; i++) h0[mem.start + i] = (Math.sin(i * 12.9898) * 43758.5453) % 0.3;
for (let r = 0; r < n; r++) {
  h0.fill(0, o.Y + r * 10, o.Y + r * 10 + 10);
  h0[o.Y + r * 10 + (r % 10)] = 1;
}

// the Dropout's mask and dropped rows: this tree's way
const dropoutForward = fused
  ? () => K.planDropoutMask(mem, drop.nextMaskKey(), 0.5, o.M2, n * 1600, { src: o.Q2, out: o.QD })
  : () => {
      const m = T.tidy(() => drop.call(T.ones([n, 1600]), { training: true }));
      mem.heap().set(m.dataSync(), o.M2);
      m.dispose();
      K.maskedCopyRows(mem.heap(), o.Q2, o.M2, o.QD, 1600, n, 1600);
    };
const pooledReluBias = (g, y, cells, C, db) => () => {
  K.planReluGrad(mem, g, y, g, cells * C);
  K.planColumnSums(mem, g, cells, C, db);
};
const parts = [
  ['conv1 im2col', () => K.planConvPatches(mem, g1, n, o.X, o.P1, 16)],
  ['conv1 GEMM (+bias, relu)', () => mem.product(false, o.P1, 16, o.W1, 32, o.A1, 32, n * 676, 32, 9, o.b1, true)],
  ['pool1', () => K.planPool(mem, w1, o.A1, o.Q1, true)],
  ['conv2 im2col', () => K.planConvPatches(mem, g2, n, o.Q1, o.P2, 288)],
  ['conv2 GEMM (+bias, relu)', () => mem.product(false, o.P2, 288, o.W2, 64, o.A2, 64, n * 121, 64, 288, o.b2, true)],
  ['pool2', () => K.planPool(mem, w2, o.A2, o.Q2, true)],
  ['dropout mask + dropped rows', dropoutForward],
  ['dense forward + softmax CE', () => {
    mem.product(false, o.QD, 1600, o.W3, 16, o.A3, 16, n, 16, 1600, o.b3, false);
    K.softmaxCrossEntropyRows(mem.heap(), o.A3, o.D3, 16, n, 10, { y: o.Y, ldy: 10, sparse: false, weights: -1, scale: 1 / n });
  }],
  ['dense backward (dW, db, dx)', () => {
    mem.product(true, o.QD, 1600, o.D3, 16, o.dW3, 16, 1600, 16, n);
    K.columnSums(mem.heap(), o.D3, 16, n, 10, o.db3);
    mem.transpose(o.W3, 1600, 16, 16, o.WT3, 1600);
    mem.product(false, o.D3, 16, o.WT3, 1600, o.H2, 1600, n, 1600, 16);
  }],
  ['dropout backward (g ⊙ mask)', () => K.multiplyRows(mem.heap(), o.H2, 1600, o.M2, 1600, n, 1600)],
  ...(fused ? [['conv2 relu deriv. + bias grad. (pooled)', pooledReluBias(o.H2, o.Q2, n * 25, 64, o.db2)]] : []),
  ['pool2 gradient', () => K.planPoolGrad(mem, w2, { x: o.A2, y: o.Q2, g: o.H2, dx: o.G2 }, true)],
  ...(fused ? [] : [['conv2 relu derivative', () => K.planReluGrad(mem, o.G2, o.A2, o.G2, n * 121 * 64)]]),
  ['conv2 filter gradient (split-k)', () => K.planProductSplitK(mem, o.P2, 288, o.G2, 64, o.dW2, 64, 288, 64, n * 121)],
  ...(fused ? [] : [['conv2 bias gradient', () => K.planColumnSums(mem, o.G2, n * 121, 64, o.db2)]]),
  ['conv2 input gradient GEMM', () => {
    mem.transpose(o.W2, 288, 64, 64, o.WT2, 288);
    mem.product(false, o.G2, 64, o.WT2, 288, o.P2, 288, n * 121, 288, 64);
  }],
  ['conv2 col2im', () => K.planConvFold(mem, g2, n, o.P2, 288, o.H1)],
  ...(fused ? [['conv1 relu deriv. + bias grad. (pooled)', pooledReluBias(o.H1, o.Q1, n * 169, 32, o.db1)]] : []),
  ['pool1 gradient', () => K.planPoolGrad(mem, w1, { x: o.A1, y: o.Q1, g: o.H1, dx: o.G1 }, true)],
  ...(fused ? [] : [['conv1 relu derivative', () => K.planReluGrad(mem, o.G1, o.A1, o.G1, n * 676 * 32)]]),
  ['conv1 filter gradient (split-k)', () => K.planProductSplitK(mem, o.P1, 16, o.G1, 32, o.dW1, 32, 9, 32, n * 676)],
  ...(fused ? [] : [['conv1 bias gradient', () => K.planColumnSums(mem, o.G1, n * 676, 32, o.db1)]]),
];
const best = parts.map(() => Infinity);
let bestStep = Infinity;
for (let rep = 0; rep < 14; rep++) {
  const t0 = performance.now();
  parts.forEach(([, f], i) => {
    const t = performance.now();
    f();
    if (rep >= 2) best[i] = Math.min(best[i], performance.now() - t);
  });
  if (rep >= 2) bestStep = Math.min(bestStep, performance.now() - t0);
}
mem.release();
const total = best.reduce((a, b) => a + b, 0);
console.log(`${root}: the cnn's compiled step at batch ${n} (wasm, ${K.fastKernelsStatus().threads} threads), best step ${bestStep.toFixed(1)} ms, Σ of the parts' bests ${total.toFixed(1)} ms (the optimizer pass is not included)`);
parts.forEach(([name], i) => console.log(`  ${name.padEnd(40)} ${best[i].toFixed(2).padStart(7)} ms  ${((100 * best[i]) / total).toFixed(0).padStart(3)}%`));
// the tape path's mask (the Dropout layer's own call on [128, 1600], read back), apart from the step
let tapeMask = Infinity;
for (let rep = 0; rep < 12; rep++) {
  const t = performance.now();
  const m = T.tidy(() => drop.call(T.ones([n, 1600]), { training: true }));
  m.dataSync();
  m.dispose();
  tapeMask = Math.min(tapeMask, performance.now() - t);
}
console.log(`  (the tape path's Dropout mask for [${n}, 1600], drawn and read: ${tapeMask.toFixed(2)} ms)`);
process.exit(0);
