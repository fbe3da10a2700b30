// Developer tool (not part of `pnpm bench`): where the lstm case's training step goes. Times the
// recurrent op alone (forward, forward + back through time) at the bench's shapes, the products
// it makes alone (the same shapes on the GEMM engine), and lists the kernels of fit() steps.
// node dist/profile-lstm.js [wasm|cpu] [rounds] [threads]
import * as tfc from '@tensorflow/tfjs-core';
import * as T from '@neurona/tensor';
import { useFastKernels, PlanMemory } from '@neurona/kernels';
import { startBackend } from './backends';
import { LSTM_CASE, makeSequenceDataset, lstmWeights } from './sequence-data';
import { neuronaLstm } from './impls/lstm';
import type { BackendName } from './types';

const [be = 'wasm', r = '5', th = '2'] = process.argv.slice(2);
await startBackend(be as BackendName);
useFastKernels({ threads: Number(th) });
const { steps, units, batchSize: batch, embed } = LSTM_CASE;
const GH = 4 * units;
const rounds = Number(r);

function best(f: () => void): number {
  f();
  let b = Infinity;
  for (let k = 0; k < rounds; k++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

// the op alone
const xw = T.randomUniform([batch, steps, GH], -1, 1, 'float32', 1);
const u = T.randomUniform([units, GH], -0.2, 0.2, 'float32', 2);
const h0 = T.zeros([batch, units]);
const c0 = T.zeros([batch, units]);
const probe = T.randomNormal([batch, steps, units], 0, 1, 'float32', 3);
// the first recurrent call loads the wasm loop's code (a chunk of its own): let it arrive
T.tidy(() => { T.recurrentSequence('lstm', xw, u, [h0, c0]).h.dataSync(); });
await new Promise((done) => setTimeout(done, 200));
const fwd = best(() => T.tidy(() => { T.recurrentSequence('lstm', xw, u, [h0, c0]).h.dataSync(); }));
const both = best(() =>
  T.tidy(() => {
    const g = T.grads((a: T.Tensor, b: T.Tensor) => T.sum(T.mul(T.recurrentSequence('lstm', a, b, [h0, c0]).h, probe)) as T.Scalar)([xw, u]);
    g[1].dataSync();
  }),
);

// its products alone, on the engine's memory (no copies): 50 × h·U, 50 × dz·Uᵀ, one Σ hᵀ·dz
const mem = PlanMemory.reserve(batch * units * 2 + units * GH * 2 + batch * GH + 4 * GH + batch * steps * (units + GH) + 64);
const products = { forward: NaN, backward: NaN, kernel: NaN };
if (mem) {
  const A = mem.start;
  const U = A + (batch + 4) * units;
  const Z = U + units * GH;
  const UT = Z + (batch + 4) * GH;
  const H = UT + units * GH;
  const D = H + batch * steps * units + 16;
  products.forward = best(() => {
    for (let s = 0; s < steps; s++) mem.product(false, A, units, U, GH, Z, GH, batch, GH, units);
  });
  products.backward = best(() => {
    for (let s = 0; s < steps; s++) mem.product(false, Z, GH, UT, units, A, units, batch, units, GH);
  });
  products.kernel = best(() => mem.product(true, H, units, D, GH, U, GH, units, GH, batch * steps));
  mem.release();
}
console.log(`${be}, threads ${th}: recurrentSequence lstm [${batch}, ${steps}, ${units}] forward ${fwd.toFixed(1)} ms, forward + backward ${both.toFixed(1)} ms; its products alone: ${steps} × h·U ${products.forward.toFixed(1)} ms, ${steps} × dz·Uᵀ ${products.backward.toFixed(1)} ms, Σ hᵀ·dz ${products.kernel.toFixed(1)} ms (best of ${rounds})`);

// fit() steps, kernel by kernel
const n = batch * 5;
const data = makeSequenceDataset(n, 1);
const ids = T.tensor(data.x, [n, steps]);
const labels = T.tensor(data.y, [n, 1]);
const tr = await neuronaLstm({ caseName: 'lstm', batchSize: batch, learningRate: LSTM_CASE.learningRate, optimizer: 'sgd', backend: be as BackendName, weights: lstmWeights(2), x: ids, y: labels });
const hooks = { begin: () => {}, end: () => {} };
await tr.train(1, hooks);
let stepMs = Infinity;
for (let k = 0; k < rounds; k++) {
  const t0 = performance.now();
  await tr.train(1, hooks);
  stepMs = Math.min(stepMs, (performance.now() - t0) / 5);
}
const prof = await tfc.profile(async () => { await tr.train(1, hooks); });
const byName = new Map<string, { n: number; ms: number }>();
for (const k of prof.kernels) {
  const key = `${k.name} ${k.inputShapes.map((x) => `[${x}]`).join(' ')}`;
  const e = byName.get(key) ?? { n: 0, ms: 0 };
  e.n++;
  e.ms += (await k.kernelTimeMs) as number;
  byName.set(key, e);
}
console.log(`fit() step (batch ${batch}, embed ${embed}): ${stepMs.toFixed(1)} ms (best of ${rounds} epochs of 5 steps); kernels of one profiled epoch, per step:`);
for (const [name, e] of [...byName].sort((p, q) => q[1].ms - p[1].ms).slice(0, 18)) console.log(`  ${name.padEnd(60)} ${String(e.n / 5).padStart(5)}/step ${(e.ms / 5).toFixed(2).padStart(8)} ms`);
process.exit(0);
