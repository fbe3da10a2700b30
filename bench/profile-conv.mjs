// Developer tool (not part of `pnpm bench`): the bench cnn's conv/pool chain (Conv2D 32 relu,
// MaxPool 2, Conv2D 64 relu, MaxPool 2) forward and backward at batch 128 on wasm, the best of 15
// wall times and each kernel's best of 6 profiled runs. Best-of filters other processes on this
// shared machine. Pass another checkout's root to compare trees in alternate runs (each built):
//   node bench/profile-conv.mjs [ROOT]
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'));
const bn = await import(`${root}/packages/backend-node/dist/index.js`);
const T = await import(`${root}/packages/tensor/dist/index.js`);
// the tfjs-core instance @neurona/tensor runs on (its package's main: what Node resolves)
const tfc = await import(`${root}/packages/tensor/node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js`);
await bn.useNodeBackend({ force: 'wasm', silent: true });
const r = (s, seed) => T.randomUniform(s, -0.3, 0.3, 'float32', seed);
const x = r([128, 28, 28, 1], 1);
const probe = r([128, 5, 5, 64], 6);
const params = [r([3, 3, 1, 32], 2), r([32], 3), r([3, 3, 32, 64], 4), r([64], 5)];
const chain = (w1, b1, w2, b2) => {
  const h = T.maxPooling(T.conv(x, w1, b1, { activation: 'relu' }), { poolSize: 2 });
  return T.sum(T.mul(T.maxPooling(T.conv(h, w2, b2, { activation: 'relu' }), { poolSize: 2 }), probe));
};
const g = T.grads(chain);
const step = () => T.dispose(g(params));
for (let i = 0; i < 3; i++) step();
let best = Infinity;
for (let i = 0; i < 15; i++) {
  const t0 = performance.now();
  step();
  best = Math.min(best, performance.now() - t0);
}
const per = new Map();
for (let rep = 0; rep < 6; rep++) {
  const prof = await tfc.profile(async () => step());
  const run = new Map();
  for (const k of prof.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes[0])}`;
    run.set(key, (run.get(key) ?? 0) + (await k.kernelTimeMs));
  }
  for (const [k, v] of run) per.set(k, Math.min(per.get(k) ?? Infinity, v));
}
console.log(`${root}: conv/pool chain forward + backward, best ${best.toFixed(1)} ms`);
for (const [k, v] of [...per].toSorted((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`  ${k.padEnd(50)} ${v.toFixed(2)} ms`);
process.exit(0);
