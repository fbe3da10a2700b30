// Developer tool (not part of `pnpm bench`): time training steps with fast kernels on and off,
// alternating in one process so a busy machine affects both alike, then list the kernels of a step.
// node dist/profile-step.js [cpu|wasm] [mlp|perceptron|cnn] [batch] [rounds] [hand_loop|neurona]
import * as tfc from '@tensorflow/tfjs-core';
import * as T from '@neurona/tensor';
import { useFastKernels } from '@neurona/kernels';
import { startBackend } from './backends';
import { makeDataset, initialWeights, INPUT, CLASSES } from './data';
import { handLoop } from './impls/hand-loop';
import { neurona } from './impls/neurona';
import type { BackendName, CaseName } from './types';

const [be = 'wasm', c = 'mlp', b = '128', r = '3', impl = 'hand_loop'] = process.argv.slice(2);
await startBackend(be as BackendName);
const bs = Number(b);
const steps = 20;
const n = bs * steps;
const data = makeDataset(n, 1);
const cnn = c === 'cnn';
const x = T.tensor(data.x, cnn ? [n, 28, 28, 1] : [n, INPUT]);
const y = T.tensor2d(data.y, [n, CLASSES]);
const setup = {
  caseName: c as CaseName, batchSize: bs, learningRate: cnn ? 0.001 : 0.01, optimizer: cnn ? ('adam' as const) : ('sgd' as const),
  backend: be as BackendName, weights: initialWeights(c as CaseName, 2), x, y,
};
const tr = impl === 'neurona' ? await neurona(setup) : handLoop(setup);
const hooks = { begin: () => {}, end: () => {} };
// the fastest of several 1-epoch runs (20 steps each): robust to other processes on the machine
for (let round = 0; round < Number(r); round++) {
  const line: string[] = [];
  for (const fast of [true, false]) {
    useFastKernels(fast);
    await tr.train(1, hooks);
    let best = Infinity;
    for (let k = 0; k < 8; k++) {
      const t0 = performance.now();
      await tr.train(1, hooks);
      best = Math.min(best, (performance.now() - t0) / steps);
    }
    line.push(`${fast ? 'fast' : 'plain'} ${best.toFixed(3)} ms/step`);
  }
  console.log(`${be} ${c} b${bs} ${impl}: ${line.join(', ')} (best of 8)`);
}
useFastKernels(true);
await tr.train(1, hooks); // warm: the profile is of a steady epoch
const prof = await tfc.profile(async () => { await tr.train(1, hooks); });
const byName = new Map<string, { n: number; ms: number }>();
let total = 0;
for (const k of prof.kernels) {
  // the large kernels per call shape (a convnet has the same kernel at several shapes)
  const key = k.name.startsWith('NeuronaConv') || k.name.startsWith('NeuronaPool') || k.name === 'NeuronaActivationGrad' || k.name === 'NeuronaBiasGrad' ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
  const e = byName.get(key) ?? { n: 0, ms: 0 };
  e.n++;
  total++;
  e.ms += (await k.kernelTimeMs) as number;
  byName.set(key, e);
}
for (const [name, e] of [...byName].sort((p, q) => q[1].ms - p[1].ms)) console.log(`  ${name.padEnd(60)} ${String(e.n / steps).padStart(4)}/step ${(e.ms / steps).toFixed(3).padStart(8)} ms/step`);
console.log(`  ${total / steps} kernels per step`);
process.exit(0);
