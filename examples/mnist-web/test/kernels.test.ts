// The kernels this page ships for WebGPU and wasm (kernels.json, read by vite.config.ts): the
// page's own model code (every model: build, fit with the progress callback, the test report, a
// drawing's prediction) is run on the recorder of @neurona/backend-web/kernel-set, and what it
// used must be what kernels.json lists: `webgpu`, what the perceptron and the MLP use (registered
// when the backend loads); `later`, what only the CNN adds (a lazy chunk the page loads with
// loadLaterKernels() when the CNN is chosen or a .keras file opened); `wasm`, all of them. After a change to the models or the page's code:
// `UPDATE_KERNELS=1 pnpm --filter mnist-web test kernels` rewrites the file; the browser tests
// then check the page on WebGPU and wasm with only those kernels.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordPageUse } from '@neurona/backend-web/kernel-set';
import { loadMnist } from '@neurona/datasets';
import { trainValTestSplit } from '@neurona/data-split';
import { kerasModelBytes, loadKerasModel } from '@neurona/keras';
import { dispose } from '@neurona/tensor';
import { buildModel, trainModel, TRAINING_DEFAULTS, type ModelKind } from 'mnist-model';
import { digitModel } from '../src/digit-model';
import { evaluateTest } from '../src/evaluate';
import { predictDigit } from '../src/predict-drawing';
import { progressCallback } from '../src/progress-callback';
import type { PageView } from '../src/shared/view';

const FILE = new URL('../kernels.json', import.meta.url);

/** The page's view with nothing to draw on. */
const noView = new Proxy({}, { get: () => () => {} }) as PageView;
// the progress callback yields to the browser after each epoch
globalThis.requestAnimationFrame ??= ((cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), 0)) as unknown as typeof requestAnimationFrame;

/**
 * What a visit runs: each of `kinds`, trained one epoch, evaluated, asked about one drawing; then
 * opened again from its .keras bytes (the "Open a .keras model" input), evaluated and asked again.
 */
async function pageCode(kinds: readonly ModelKind[]): Promise<void> {
  const { x, y } = await loadMnist({ limit: 200 });
  const split = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
  dispose([x, y]);
  for (const kind of kinds) {
    const model = buildModel(kind, { seed: 42 });
    await trainModel(model, kind, split, { epochs: 1, batchSize: TRAINING_DEFAULTS[kind].batchSize, verbose: 0, callbacks: [progressCallback(noView)] });
    const trained = { model, digitShape: [28, 28] };
    await evaluateTest(trained, split.xTest, split.yTest);
    await predictDigit(trained, new Float32Array(784).fill(0.5));
    const opened = digitModel(await loadKerasModel(await kerasModelBytes(model)));
    await evaluateTest(opened, split.xTest, split.yTest);
    await predictDigit(opened, new Float32Array(784).fill(0.5));
    opened.model.dispose();
    model.dispose();
  }
  dispose(Object.values(split));
}

describe('the kernels the page ships', () => {
  it('are those its model code uses (and the tensor methods it calls)', async () => {
    const dense = await recordPageUse(() => pageCode(['perceptron', 'mlp']));
    const cnn = await recordPageUse(() => pageCode(['cnn']));
    const used = [...new Set([...dense.kernels, ...cnn.kernels])].sort();
    // registered with the backend: what the perceptron and the MLP run off the gradient tape (a
    // compiled plan trains them; validation, the test report and predictions run these)
    const eager = dense.kernels.filter((k) => !dense.tapeOnly.includes(k));
    const later = used.filter((k) => !eager.includes(k));
    const chainedOps = [...new Set([...dense.chainedOps, ...cnn.chainedOps])].sort();
    const listed = JSON.parse(readFileSync(FILE, 'utf8')) as { webgpu: string[]; later: string[]; wasm: string[]; chainedOps: string[] };
    if (process.env.UPDATE_KERNELS) {
      writeFileSync(FILE, `${JSON.stringify({ webgpu: eager, later, wasm: used, chainedOps }, null, 2)}\n`);
      return;
    }
    const hint = 'the page now uses other kernels or tensor methods: UPDATE_KERNELS=1 pnpm --filter mnist-web test kernels';
    expect(listed.webgpu, hint).toEqual(eager);
    expect(listed.later, hint).toEqual(later);
    // the convolutions and the tape's backward kernels are what the lazy chunk is for
    expect(later).toEqual(expect.arrayContaining(['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPool', 'Transpose']));
    expect(listed.wasm, hint).toEqual(used);
    // the chained ops (`t.argMax()`) its code calls: the page registers only those
    expect(listed.chainedOps, hint).toEqual(chainedOps);
  }, 300_000); // the CNN's convolutions run in plain JavaScript on the recorder (tfjs's cpu backend)
});
