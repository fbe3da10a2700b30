// Seconds per epoch of model.fit on 60,000 random MNIST-shaped samples (batch 128, SGD 0.01):
// the seed's perceptron (Flatten + Dense(10, softmax)) and an MLP 784-128-10.
//   node scripts/bench-epoch.mjs [cpu|wasm] [perceptron|mlp] [batchSize]
// Needs `pnpm turbo run build --filter=@neurona/models... --filter=@neurona/backend-node`.
import * as T from '@neurona/tensor';
import { memory, oneHot, randomUniform, setSeed, tidy, tensor1d } from '@neurona/tensor';
import { Dense, Flatten } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { useNodeBackend } from '../../backend-node/dist/index.js';
import { Sequential } from '../dist/index.js';

const backend = process.argv[2] ?? 'cpu';
const which = process.argv[3] ?? 'perceptron';
const batchSize = Number(process.argv[4] ?? 128);
await useNodeBackend({ force: backend });
// NEURONA_FAST=0 measures without @neurona/tensor's fast kernels (when the build has them)
if (typeof T.useFastKernels === 'function' && process.env.NEURONA_FAST !== '0') console.log('fast kernels', JSON.stringify(T.useFastKernels(true)));
setSeed(42);
const n = 60000;
const { x, y } = tidy(() => {
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = Math.floor(Math.random() * 10);
  return { x: randomUniform([n, 784]), y: oneHot(tensor1d(labels, 'int32'), 10).toFloat() };
});
const model = Sequential();
model.add(Flatten({ inputShape: [784] }));
if (which === 'mlp') model.add(Dense(128, { activation: 'relu' }));
model.add(Dense(10, { activation: 'softmax' }));
model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.01), metrics: ['accuracy'] });
const times = [];
let t0 = 0;
const tensors = [];
const timer = {
  onEpochBegin: () => void (t0 = performance.now()),
  onEpochEnd: (_e, logs) => {
    times.push((performance.now() - t0) / 1000);
    tensors.push(memory().numTensors);
    console.log(`epoch ${times.length}: ${times.at(-1).toFixed(3)} s, loss ${logs.loss.toFixed(4)}, tensors ${memory().numTensors}`);
  },
};
await model.fit(x, y, { epochs: 4, batchSize, verbose: 0, callbacks: [timer] });
const timed = times.slice(1).toSorted((a, b) => a - b);
console.log(`${backend} ${which} batch ${batchSize}: median ${timed[1].toFixed(3)} s/epoch (warm-up ${times[0].toFixed(3)} s)`);
