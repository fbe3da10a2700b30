import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as T from '@neurona/tensor';
import * as M from '../src/index';

// Backends without synchronous reads (WebGPU in Node: dataSync throws). The evaluation tools take
// promises of labels, or read tensors with await data() in their ...Async forms; the training
// metrics never read a tensor back at all.

const yTrue = [0, 1, 2, 2, 1, 0, 2, 1, 1, 0];
const yPred = [0, 2, 2, 2, 1, 0, 1, 1, 0, 0];
const EXPECTED = [
  '              precision    recall  f1-score   support',
  '',
  '           0       0.75      1.00      0.86         3',
  '           1       0.67      0.50      0.57         4',
  '           2       0.67      0.67      0.67         3',
  '',
  '    accuracy                           0.70        10',
  '   macro avg       0.69      0.72      0.70        10',
  'weighted avg       0.69      0.70      0.69        10',
  '',
].join('\n');

/** A stand-in for a tensor on Dawn: a real tensor whose synchronous reads throw, as they do there. */
function dawnTensor(values: number[], shape: number[] = [values.length]): T.Tensor {
  const t = T.tensor(values, shape, 'int32');
  Object.defineProperty(t, 'dataSync', {
    value: () => {
      throw new Error('WebGPU backend: readSync is not available; use data()');
    },
  });
  Object.defineProperty(t, 'arraySync', {
    value: () => {
      throw new Error('WebGPU backend: readSync is not available; use array()');
    },
  });
  return t;
}

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('evaluation tools where synchronous reads throw', () => {
  it('the synchronous form names the asynchronous one', () => {
    const t = dawnTensor(yTrue);
    const p = dawnTensor(yPred);
    expect(() => M.classificationReport(t, p)).toThrow(
      'classificationReport: could not read yTrue synchronously (WebGPU backend: readSync is not available; use data()). ' +
        'On a backend without synchronous reads (WebGPU in Node), use await classificationReportAsync(yTrue, yPred, options), ' +
        'which reads tensors with await tensor.data()',
    );
    expect(() => M.confusionMatrix(yTrue, p)).toThrow(/could not read yPred synchronously .* use await confusionMatrixAsync/);
    expect(() => M.precisionRecallFscoreSupport(t, p)).toThrow(/use await precisionRecallFscoreSupportAsync\(yTrue, yPred, options\)/);
    expect(() => M.f1Score(t, p, { average: 'macro' })).toThrow(
      /could not read yTrue synchronously .*pass promises of the labels: await f1Score\(yTrue.data\(\), yPred.data\(\), options\)/,
    );
    expect(() => M.accuracyScore(t, p)).toThrow(/await accuracyScore\(yTrue.data\(\), yPred.data\(\), options\)/);
  });

  it('the ...Async forms read tensors with await data() and give the same results', async () => {
    const t = dawnTensor(yTrue);
    const p = dawnTensor(yPred);
    expect(await M.classificationReportAsync(t, p)).toBe(EXPECTED);
    const dict = await M.classificationReportAsync(t, p, { outputDict: true });
    expect(dict).toEqual(M.classificationReport(yTrue, yPred, { outputDict: true }));
    expect(await M.confusionMatrixAsync(t, p)).toEqual([[3, 0, 0], [1, 2, 1], [0, 1, 2]]);
    expect(await M.confusionMatrixAsync(t, yPred, { normalize: 'true' })).toEqual(M.confusionMatrix(yTrue, yPred, { normalize: 'true' }));
    const prfs = await M.precisionRecallFscoreSupportAsync(t, p);
    expect(prfs).toEqual(M.precisionRecallFscoreSupport(yTrue, yPred));
    const macro = await M.precisionRecallFscoreSupportAsync(t, p, { average: 'macro' });
    expect(macro.fbetaScore).toBeCloseTo(M.f1Score(yTrue, yPred, { average: 'macro' }), 15);
  });

  it('promises of labels (tensor.data()) make the usual forms return promises', async () => {
    const t = dawnTensor(yTrue);
    const p = dawnTensor(yPred);
    const report = M.classificationReport(t.data(), p.data());
    expect(report).toBeInstanceOf(Promise);
    expect(await report).toBe(EXPECTED);
    expect(await M.classificationReport(t.data(), yPred, { digits: 3 })).toBe(M.classificationReport(yTrue, yPred, { digits: 3 }));
    expect((await M.classificationReport(Promise.resolve(yTrue), p.data(), { outputDict: true })).accuracy).toBe(0.7);
    expect(await M.confusionMatrix(t.data(), p.data(), { numClasses: 4 })).toEqual(M.confusionMatrix(yTrue, yPred, { numClasses: 4 }));
    expect(await M.precisionScore(t.data(), p.data(), { average: 'micro' })).toBe(0.7);
    expect(await M.recallScore(t.data(), p.data(), { average: null })).toEqual(M.recallScore(yTrue, yPred, { average: null }));
    expect(await M.f1Score(t.data(), p.data(), { average: 'weighted' })).toBe(M.f1Score(yTrue, yPred, { average: 'weighted' }));
    expect(await M.fbetaScore(t.data(), p.data(), 2, { average: 'macro' })).toBe(M.fbetaScore(yTrue, yPred, 2, { average: 'macro' }));
    expect(await M.accuracyScore(t.data(), p.data(), { normalize: false })).toBe(7);
    const prfs = await M.precisionRecallFscoreSupport(t.data(), yPred);
    expect(prfs.support).toEqual([3, 4, 3]);
    // a promise of a tensor is read asynchronously too
    expect(await M.accuracyScore(Promise.resolve(t), Promise.resolve(p))).toBe(0.7);
  });

  it('real tensors: argMax(...).data(), as on WebGPU', async () => {
    const oneHot = T.oneHot(T.tensor1d(yTrue, 'int32'), 3);
    const probs = T.add(T.mul(T.cast(T.oneHot(T.tensor1d(yPred, 'int32'), 3), 'float32'), 0.8), 0.05);
    const [a, b] = [T.argMax(oneHot, 1), T.argMax(probs, 1)];
    expect(await M.classificationReport(a.data(), b.data())).toBe(EXPECTED);
    expect(await M.classificationReportAsync(a, b)).toBe(EXPECTED);
    T.dispose([oneHot, probs, a, b]);
  });

  it('bad labels reject the promise with the usual message; a disposed tensor keeps its own error', async () => {
    await expect(M.classificationReportAsync(dawnTensor([0, 1, 0, 1], [2, 2]), yPred.slice(0, 2))).rejects.toThrow(
      'classificationReportAsync: yTrue must hold one class label per sample (shape [n]), got a tensor of shape [2, 2]; ' +
        'for one-hot rows or probabilities pass yTrue.argMax(-1)',
    );
    await expect(M.confusionMatrix(Promise.resolve([0.5, 1]), [0, 1])).rejects.toThrow(/found the continuous value 0.5 at index 0/);
    await expect(M.f1Score(Promise.reject(new Error('device lost')), [0, 1])).rejects.toThrow('device lost');
    const gone = T.tensor1d([0, 1], 'int32');
    gone.dispose();
    expect(() => M.confusionMatrix(gone, [0, 1])).toThrow(/disposed/);
  });
});

function blocked(): never {
  throw new Error('synchronous read');
}

describe('training metrics never read a tensor synchronously', () => {
  it('updateState, result, resetState, the callable and batchState run with dataSync / arraySync / bufferSync throwing', () => {
    const proto = Object.getPrototypeOf(T.scalar(0)) as Record<string, unknown>;
    const saved = { dataSync: proto.dataSync, arraySync: proto.arraySync, bufferSync: proto.bufferSync };
    const metrics: M.Metric[] = [
      M.get('accuracy'),
      M.BinaryAccuracy(),
      M.TopKCategoricalAccuracy({ k: 2 }),
      M.get('mae'),
      M.Precision({ classId: 1 }),
      M.Recall(),
      M.F1Score(),
      M.FBetaScore({ average: 'weighted', beta: 0.5 }),
      M.AUC(),
      M.AUC({ curve: 'PR', multiLabel: true, thresholds: [0.2, 0.4, 0.9] }),
      M.AUC({ curve: 'PRGAIN', labelWeights: [1, 2, 1] }),
      M.MeanMetricWrapper((a, b) => T.square(T.sub(a, b)), { name: 'sq' }),
    ];
    const yt = T.tensor2d([[0, 1, 0], [1, 0, 0], [0, 0, 1]]);
    const yp = T.tensor2d([[0.2, 0.7, 0.1], [0.5, 0.3, 0.2], [0.3, 0.3, 0.4]]);
    const w = T.tensor1d([1, 2, 0.5]);
    const mean = M.Mean();
    const values: number[] = [];
    Object.assign(proto, { dataSync: blocked, arraySync: blocked, bufferSync: blocked });
    let results: T.Tensor[];
    try {
      for (const m of metrics) {
        m.updateState(yt, yp);
        m.updateState(yt, yp, w);
        m(yt, yp, w).dispose();
        if (M.isAdditive(m)) m.batchState(yt, yp).dispose();
      }
      mean.updateState(yp, w);
      results = [...metrics.map((m) => m.result()), mean.result()];
    } finally {
      Object.assign(proto, saved);
    }
    for (const r of results) values.push(r.dataSync()[0]);
    expect(values.every((x) => Number.isFinite(x))).toBe(true);
    T.dispose([...results, yt, yp, w]);
    for (const m of [...metrics, mean]) m.dispose();
  });
});
