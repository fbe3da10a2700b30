// Speed of in-memory batching: fromArrays(x, y).batch(128) over 60,000 MNIST-shaped samples
// (x [60000, 784], y one-hot [60000, 10]), in order and shuffled, against the loop fit() runs
// itself (gatherRows of index tensors made once). Reports ms per batch.
//
//   node packages/data/bench/from-arrays-speed.mjs [--backend wasm] [--epochs 5]
import { useNodeBackend } from '@neurona/backend-node';
import { dispose, gatherRows, getBackend, memory, randomUniform, shuffledIndices, tensor1d, zeros } from '@neurona/tensor';
import { fromArrays } from '../dist/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
await useNodeBackend({ force: arg('backend', 'wasm'), silent: true });
const epochs = Number(arg('epochs', 5));
const n = 60_000;
const b = 128;
const x = randomUniform([n, 784], 0, 1, 'float32', 1);
const y = zeros([n, 10]);
const steps = Math.ceil(n / b);

async function time(label, epochFn) {
  await epochFn(); // warm-up
  const t0 = performance.now();
  for (let e = 0; e < epochs; e++) await epochFn();
  const ms = (performance.now() - t0) / (epochs * steps);
  return { label, msPerBatch: Number(ms.toFixed(4)), msPerEpoch: Number((ms * steps).toFixed(1)) };
}

const consume = async (ds) => {
  for await (const batch of ds) dispose([batch.x, batch.y]);
};
const before = memory().numTensors;
const ordered = fromArrays(x, y).batch(b);
const shuffled = fromArrays(x, y).shuffle(n, { seed: 1 }).batch(b);
const indexTensors = [];
for (let s = 0; s < n; s += b) indexTensors.push(tensor1d(Int32Array.from({ length: Math.min(b, n - s) }, (_, k) => s + k), 'int32'));
const perm = shuffledIndices(n, 1);
const rows = [
  await time('fit-style loop: gatherRows, index tensors made once', async () => {
    for (const idx of indexTensors) dispose([gatherRows(x, idx), gatherRows(y, idx)]);
  }),
  await time('fit-style loop, shuffled: an index tensor per batch of a permutation', async () => {
    for (let s = 0; s < n; s += b) {
      const idx = tensor1d(perm.subarray(s, Math.min(n, s + b)), 'int32');
      dispose([gatherRows(x, idx), gatherRows(y, idx), idx]);
    }
  }),
  await time('fromArrays(x, y).batch(128)', () => consume(ordered)),
  await time('fromArrays(x, y).shuffle(60000).batch(128)', () => consume(shuffled)),
];
dispose(indexTensors);
console.log(JSON.stringify({ backend: getBackend(), samples: n, batchSize: b, epochs, rows, leakedTensors: memory().numTensors - before }, null, 2));
dispose([x, y]);
