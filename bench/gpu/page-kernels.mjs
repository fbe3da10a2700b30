#!/usr/bin/env node
// Which tfjs kernels the mnist-web page's code still runs on WebGPU, and how often: the page's
// steps (examples/mnist-web: the embedded digits split 70/10/20, the model of mnist-model trained
// with its validation split, the test split's probabilities and their argMax as evaluateTest
// does, one drawing's prediction) on Dawn, with every webgpu kernel of tfjs's registry wrapped to
// count its calls per phase. What the WebGPU plan runs (its own WGSL) is not a tfjs kernel and
// does not appear. Builds nothing: runs on the built packages of the tree it lives in, or of
// NEURONA_ROOT (a checkout of another branch, to compare). Without a GPU:
// VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json.
//   node bench/gpu/page-kernels.mjs [--model mlp|perceptron] [--samples 500] [--epochs 1] [--out file.json]
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const kind = opt('model', 'mlp');
const samples = Number(opt('samples', 500));
const epochs = Number(opt('epochs', 1));
const out = opt('out', null);

const ROOT = process.env.NEURONA_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (pkg) => import(pathToFileURL(join(ROOT, pkg, 'dist', 'index.js')).href);
// the tfjs-core instance @neurona/tensor runs on (its CommonJS main, as Node's import of it loads)
const tfc = createRequire(join(ROOT, 'packages', 'tensor', 'package.json'))('@tensorflow/tfjs-core');

const T = await dist('packages/tensor');
const { useNodeBackend } = await dist('packages/backend-node');
const { loadMnist } = await dist('packages/datasets');
const { trainValTestSplit } = await dist('packages/data-split');
const { buildModel, trainModel } = await dist('examples/mnist-model');

await useNodeBackend({ force: 'webgpu', silent: true, cpuForward: false });
if (T.getBackendInfo().name !== 'webgpu') throw new Error('no WebGPU backend');

// count each webgpu kernel's calls into the current phase
const counts = {};
// where each kernel is first called from in each phase (--where: the first frames in neurona's packages)
const where = args.includes('--where') ? {} : null;
let phase = 'setup';
for (const config of tfc.getKernelsForBackend('webgpu')) {
  const f = config.kernelFunc;
  config.kernelFunc = (a) => {
    const c = (counts[phase] ??= {});
    c[config.kernelName] = (c[config.kernelName] ?? 0) + 1;
    if (where && c[config.kernelName] === 1) {
      const frames = (new Error().stack ?? '').split('\n').filter((l) => /packages\/(models|tensor|optimizers|metrics|losses|layers|kernels)\/dist/.test(l) && !/tensor\/dist\/(ops|engine|chunk)/.test(l));
      (where[phase] ??= {})[config.kernelName] = frames.slice(0, 4).map((l) => l.trim().replace(/^at /, '').replace(ROOT, ''));
    }
    return f(a);
  };
}

const { x, y } = await loadMnist({ limit: samples });
const split = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
T.dispose([x, y]);
const model = buildModel(kind, { seed: 42 });

phase = 'fit';
await trainModel(model, kind, split, { epochs, verbose: 0 });

phase = 'evaluateTest';
// the page's evaluateTest: predict's probabilities in batches of 128, argMax of them and of the targets, read back
const probs = T.tidy(() => model.predict(T.reshape(split.xTest, [split.xTest.shape[0], 28, 28]), { batchSize: 128 }));
const [pred, truth] = [T.argMax(probs, 1), T.argMax(split.yTest, 1)];
await Promise.all([pred.data(), truth.data()]);
T.dispose([probs, pred, truth]);

phase = 'predictDigit';
const one = T.tidy(() => model.predict(T.tensor3d(new Float32Array(784).fill(0.5), [1, 28, 28]), { batchSize: 1 }));
await one.data();
one.dispose();

phase = 'end';
model.dispose();
T.dispose(Object.values(split));

const sum = (c) => Object.values(c ?? {}).reduce((a, b) => a + b, 0);
const report = {
  root: ROOT,
  model: kind,
  samples,
  epochs,
  phases: Object.fromEntries(['setup', 'fit', 'evaluateTest', 'predictDigit'].map((p) => [p, { calls: sum(counts[p]), kernels: Object.fromEntries(Object.entries(counts[p] ?? {}).toSorted()) }])),
  // the kernels a visit runs after the data is loaded (training, validation, test report, a drawing)
  ...(where ? { where } : {}),
  visit: [...new Set(['fit', 'evaluateTest', 'predictDigit'].flatMap((p) => Object.keys(counts[p] ?? {})))].toSorted(),
};
console.log(JSON.stringify(report, null, 2));
if (out) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.exit(0);
