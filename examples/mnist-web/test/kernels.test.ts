// The kernels this page ships for WebGPU and wasm (kernels.json, read by vite.config.ts): the
// page's own model code (every model: build, fit with the progress callback, the test report, a
// drawing's prediction) is run on the recorder of @neurona/backend-web/kernel-set, and what it
// used must be what kernels.json lists: `webgpu` (registered when the backend loads) is recorded
// in Chromium by webgpu-kernels.test.ts (what a WebGPU visit looks up before anything loads the
// lazy chunk); `tape`, what else the perceptron and the MLP use (a lazy chunk that ensureKernels()
// loads before anything runs on the tape, and loadLaterKernels() too); `later`, what only the CNN
// adds (a lazy chunk loadLaterKernels() loads: the CNN, a .keras file); `wasm`, all of them. After a change to the models or the page's code:
// `UPDATE_KERNELS=1 pnpm --filter mnist-web test webgpu-kernels`, then `... test kernels`; the
// browser tests then check the page on WebGPU and wasm with only those kernels.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordPageUse } from '@neurona/backend-web/kernel-set';
import { loadMnist } from '@neurona/datasets';
import { trainValTestSplit } from '@neurona/data-split';
import { kerasModelBytes, loadKerasModel } from '@neurona/keras';
import { dispose } from '@neurona/tensor';
import { buildModel, trainModel, TRAINING_DEFAULTS, type ModelKind } from 'mnist-model';
import { digitModel } from '../src/digit-shape';
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
    const chainedOps = [...new Set([...dense.chainedOps, ...cnn.chainedOps])].sort();
    const listed = JSON.parse(readFileSync(FILE, 'utf8')) as { webgpu: string[]; tape: string[]; later: string[]; wasm: string[]; chainedOps: string[] };
    // registered when the WebGPU backend starts: what a WebGPU visit looks up before the lazy
    // chunk loads (recorded in Chromium by webgpu-kernels.test.ts); the rest of what the page's
    // code uses is the lazy chunk
    // (`tape`: what the perceptron and the MLP use on the tape; `later`: what only the CNN adds)
    const tape = dense.kernels.filter((k) => !listed.webgpu.includes(k));
    const later = used.filter((k) => !listed.webgpu.includes(k) && !tape.includes(k));
    if (process.env.UPDATE_KERNELS) {
      writeFileSync(FILE, `${JSON.stringify({ webgpu: listed.webgpu, tape, later, wasm: used, chainedOps }, null, 2)}\n`);
      return;
    }
    const hint = 'the page now uses other kernels or tensor methods: UPDATE_KERNELS=1 pnpm --filter mnist-web test kernels';
    expect(listed.tape, hint).toEqual(tape);
    expect(listed.later, hint).toEqual(later);
    // the convolutions are what the CNN's chunk is for; the tape's backward kernels, the tape's
    expect(later).toEqual(expect.arrayContaining(['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPool']));
    expect(tape).toEqual(expect.arrayContaining(['Transpose']));
    // only the tape's training step uses these (recorded here): never registered at start
    expect(dense.tapeOnly.filter((k) => listed.webgpu.includes(k))).toEqual([]);
    expect(listed.wasm, hint).toEqual(used);
    // the chained ops (`t.argMax()`) its code calls: the page registers only those
    expect(listed.chainedOps, hint).toEqual(chainedOps);
  }, 300_000); // the CNN's convolutions run in plain JavaScript on the recorder (tfjs's cpu backend)
});
