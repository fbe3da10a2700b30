import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { useNodeBackend } from '@neurona/backend-node';
import * as M from '../src/index';
import ref from './reference/stateful-metrics.json';

// WebGPU in Node (Dawn; on SwiftShader here), where dataSync throws: stateful metrics over an
// epoch and the classification report work with asynchronous reads only.
// VK_ICD_FILENAMES comes from the root vitest config (scripts/find-browser.mjs): SwiftShader beside
// whichever Chromium it found; Debian's path when this file runs alone.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

async function read(t: T.Tensor): Promise<number> {
  const v = (await t.data())[0];
  t.dispose();
  return v;
}

describe('metrics on WebGPU in Node (Dawn)', () => {
  beforeAll(async () => {
    // run small ops on the GPU too, so nothing is read back behind the metrics' back
    await useNodeBackend({ force: 'webgpu', silent: true, cpuForward: false });
  }, 180_000);
  afterAll(() => useNodeBackend({ force: process.env.NEURONA_TEST_BACKEND ?? 'cpu', silent: true }));

  it('epoch values over weighted batches equal scikit-learn; AUC equals Keras', async () => {
    const cls = ref.classification;
    const metrics = [
      M.F1Score({ average: 'macro' }),
      M.Precision(),
      M.Recall({ classId: 2 }),
      M.FBetaScore({ beta: 2, average: 'weighted' }),
    ];
    let start = 0;
    for (const n of cls.batches) {
      const t = T.tensor2d(cls.yTrue.slice(start, start + n));
      const p = T.tensor2d(cls.yPred.slice(start, start + n));
      const w = T.tensor1d(cls.weights.slice(start, start + n));
      for (const m of metrics) {
        m.updateState(t, p, w);
        m(t, p).dispose();
      }
      T.dispose([t, p, w]);
      start += n;
    }
    // what the metrics computed lives on the GPU, where synchronous reads throw
    const onGpu = metrics[0].result();
    expect(() => onGpu.dataSync()).toThrow('use the async forms');
    onGpu.dispose();
    const e = cls.weighted;
    const got = await Promise.all(metrics.map((m) => read(m.result())));
    const want = [e.f1_macro, e.precision_flat, e.recall_class2, e.fbeta2_weighted];
    got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(1e-6));
    const a = ref.auc[0];
    const auc = M.AUC();
    const [yt, yp] = [T.tensor1d(a.yTrue as number[]), T.tensor1d(a.yPred as number[])];
    auc.updateState(yt, yp);
    expect(Math.abs((await read(auc.result())) - a.keras)).toBeLessThan(1e-6);
    T.dispose([yt, yp]);
    for (const m of [...metrics, auc]) m.dispose();
  }, 180_000);

  it('classification report: promises of labels or the Async form; the sync form names it', async () => {
    const cls = ref.classification;
    const [oneHot, probs] = [T.tensor2d(cls.yTrue), T.tensor2d(cls.yPred)];
    const [yt, yp] = [T.argMax(oneHot, 1), T.argMax(probs, 1)];
    expect(() => M.classificationReport(yt, yp)).toThrow(/use await classificationReportAsync/);
    const report = await M.classificationReport(yt.data(), yp.data());
    expect(report).toContain('    accuracy                           0.73       157');
    expect(await M.classificationReportAsync(yt, yp)).toBe(report);
    expect(await M.confusionMatrixAsync(yt, yp)).toEqual(M.confusionMatrix(Array.from(await yt.data()), Array.from(await yp.data())));
    T.dispose([oneHot, probs, yt, yp]);
  }, 180_000);
});
