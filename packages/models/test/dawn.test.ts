// WebGPU in Node (Dawn; SwiftShader here), where synchronous reads throw: the whole life of a
// model works with asynchronous reads only — fit with stateful metrics, save, load with the
// optimizer state, fit on from where it stopped, predict, evaluate and the classification report.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { useNodeBackend } from '@neurona/backend-node';
import { Dense, resetNames } from '@neurona/layers';
import { Adam } from '@neurona/optimizers';
import { classificationReportAsync } from '@neurona/metrics';
import { Sequential } from '../src/sequential';
import { loadModel, saveModel } from '../src/io';

// VK_ICD_FILENAMES comes from the root vitest config (scripts/find-browser.mjs): SwiftShader beside
// whichever Chromium it found; Debian's path when this file runs alone.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

let dir: string;

async function values(ts: T.Tensor[]): Promise<number[][]> {
  const out = await Promise.all(ts.map(async (t) => Array.from(await t.data())));
  T.dispose(ts);
  return out;
}

describe('a model on WebGPU in Node (Dawn), asynchronous reads only', () => {
  beforeAll(async () => {
    await useNodeBackend({ force: 'webgpu', silent: true, cpuForward: false });
    dir = mkdtempSync(join(tmpdir(), 'neurona-dawn-'));
  }, 180_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await useNodeBackend({ force: process.env.NEURONA_TEST_BACKEND ?? 'cpu', silent: true });
  });

  it('fit → save → load with optimizer state → fit on → predict, evaluate, report', async () => {
    resetNames();
    T.setSeed(4);
    const x = T.randomNormal([48, 6]);
    const labels = T.argMax(T.slice(x, [0, 0], [48, 3]), 1);
    const y = T.cast(T.oneHot(labels, 3), 'float32');
    const model = Sequential([Dense(12, { inputShape: [6], activation: 'relu' }), Dense(3, { activation: 'softmax' })]);
    model.compile({ loss: 'categorical_crossentropy', optimizer: Adam(0.02), metrics: ['accuracy', 'precision', 'auc'] });
    // the results live on the GPU: a synchronous read of them fails, as the library must not need one
    const probe = model.predict(x) as T.Tensor;
    expect(() => probe.dataSync()).toThrow('use the async forms');
    probe.dispose();

    const h = await model.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    for (const k of ['loss', 'accuracy', 'precision', 'auc']) for (const v of h.history[k]) expect(Number.isFinite(v), k).toBe(true);

    await saveModel(model, join(dir, 'm'));
    const loaded = await loadModel(join(dir, 'm'));
    expect(loaded.optimizer.iterations).toBe(model.optimizer.iterations);

    // one more epoch each: the loaded model continues exactly where the original stands
    await model.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
    await loaded.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
    const [a, b] = [await values(model.getWeights()), await values(loaded.getWeights())];
    a.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], 4)));

    const pred = loaded.predict(x) as T.Tensor;
    const yPred = T.argMax(pred, 1);
    const report = await classificationReportAsync(labels, yPred);
    expect(report).toMatch(/accuracy\s+\d\.\d\d\s+48/);
    const ev = (await loaded.evaluate(x, y, { returnDict: true })) as Record<string, number>;
    expect(Object.keys(ev)).toEqual(['loss', 'accuracy', 'precision', 'auc']);
    for (const v of Object.values(ev)) expect(Number.isFinite(v)).toBe(true);

    T.dispose([x, labels, y, pred, yPred]);
    model.dispose();
    loaded.dispose();
  }, 300_000);
});
