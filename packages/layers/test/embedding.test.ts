// Embedding: rows of the table by id (a closed form: the table is set by hand), its gradient (the
// rows of dy added into the rows of their ids, repeated ids summed), maskZero, config, errors.
import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { Embedding, EmbeddingLayer, resetNames, runLayerTest } from '../src/index';

beforeEach(() => resetNames());

const TABLE = [
  [0.1, -0.2],
  [1.5, 0.25],
  [-3, 2],
  [0.5, 0.5],
];

describe('Embedding', () => {
  it('passes runLayerTest (rows of a constant table; with and without maskZero)', async () => {
    const ids = T.tensor2d([[1, 0, 3], [2, 2, 1]], [2, 3], 'int32');
    const r = await runLayerTest({
      layer: EmbeddingLayer,
      config: { inputDim: 4, outputDim: 2, embeddingsInitializer: { className: 'Constant', config: { value: 0.75 } } },
      inputShape: [2, 3],
      inputData: ids,
      expectedOutputShape: [2, 3, 2],
      expectedOutput: Array.from({ length: 12 }, () => 0.75),
      expectedTrainableWeights: 1,
      expectedNonTrainableWeights: 0,
      supportsMasking: false,
    });
    expect(r.gradientsChecked).toBe(8);
    const m = await runLayerTest({ layer: EmbeddingLayer, config: { inputDim: 4, outputDim: 3, maskZero: true }, inputShape: [2, 3], inputData: ids, supportsMasking: true });
    expect(m.checks).toContain('masking');
    ids.dispose();
  });

  it('looks rows up by id, for ids of any rank; float ids are truncated as Keras casts them', () => {
    const e = Embedding(4, 2);
    e.build([null, 3]);
    const table = T.tensor2d(TABLE);
    e.setWeights([table]);
    const y = e.apply(T.tensor2d([[3, 0, 2]], [1, 3], 'int32'));
    expect(y.shape).toEqual([1, 3, 2]);
    const got = Array.from(y.dataSync());
    [...TABLE[3], ...TABLE[0], ...TABLE[2]].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    const y3 = e.apply(T.tensor3d([[[1.9], [2.2]]]));
    expect(y3.shape).toEqual([1, 2, 1, 2]);
    const g3 = Array.from(y3.dataSync());
    [...TABLE[1], ...TABLE[2]].forEach((v, i) => expect(g3[i]).toBeCloseTo(v, 6));
    T.dispose([table, y, y3]);
    e.dispose();
  });

  it('gradient: each row of dy lands in its id row, repeated ids add up (closed form)', () => {
    const e = Embedding(4, 2);
    e.build([null, 4]);
    const ids = T.tensor2d([[1, 3, 1, 1]], [1, 4], 'int32');
    const dy = T.tensor3d([[[1, 2], [3, 4], [5, 6], [7, 8]]]);
    const before = T.memory().numTensors;
    const { value, grads } = T.variableGrads(() => T.sum(T.mul(e.apply(ids), dy)) as T.Scalar, e.trainableWeights);
    const g = grads[e.trainableWeights[0].name];
    expect(Array.from(g.dataSync())).toEqual([0, 0, 1 + 5 + 7, 2 + 6 + 8, 0, 0, 3, 4]);
    T.dispose([g, value]);
    expect(T.memory().numTensors).toBe(before);
    T.dispose([ids, dy]);
    e.dispose();
  });

  it('trains inside a model-like loop without leaking', () => {
    const e = Embedding(5, 3, { maskZero: true });
    const ids = T.tensor2d([[1, 2, 0], [4, 0, 0]], [2, 3], 'int32');
    e.apply(ids).dispose();
    const before = T.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      T.tidy(() => {
        const { grads } = T.variableGrads(() => T.sum(T.square(e.apply(ids))) as T.Scalar, e.trainableWeights);
        e.trainableWeights[0].assign(T.sub(e.trainableWeights[0], T.mul(grads[e.trainableWeights[0].name], 0.1)));
      });
    }
    expect(T.memory().numTensors).toBe(before);
    ids.dispose();
    e.dispose();
  });

  it('ids out of range: the error names the ids, where they are, and the range', () => {
    const e = Embedding(10, 2, { name: 'emb' });
    const ids = T.tensor2d([[1, 12, 3], [-1, 0, 10]], [2, 3], 'int32');
    expect(() => e.apply(ids)).toThrow('Embedding "emb": ids must be in [0, 10) (the table has 10 rows), got 12 at [0, 1], -1 at [1, 0], 10 at [1, 2]');
    // the layer stays usable
    const ok = T.tensor2d([[1, 2]], [1, 2], 'int32');
    expect(e.apply(ok).shape).toEqual([1, 2, 2]);
    T.dispose([ids, ok]);
  });

  it('config: Keras defaults (uniform in ±0.05), both calling forms, bad options', () => {
    const e = Embedding({ inputDim: 1000, outputDim: 8 });
    const c = e.getConfig();
    expect(c).toMatchObject({ inputDim: 1000, outputDim: 8, maskZero: false, embeddingsRegularizer: null, embeddingsConstraint: null });
    expect(c.embeddingsInitializer).toMatchObject({ className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } });
    e.build([null, 4]);
    const w = e.getWeights()[0];
    const v = w.dataSync();
    expect(Math.max(...v)).toBeLessThanOrEqual(0.05);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-0.05);
    w.dispose();
    expect(e.computeOutputShape([null, 7])).toEqual([null, 7, 8]);
    expect(() => Embedding(0, 3)).toThrow('Embedding "embedding_1": inputDim must be a positive integer, got 0');
    expect(() => Embedding(3, 2.5)).toThrow(/outputDim must be a positive integer, got 2.5/);
    expect(() => Embedding(3, 2, { maskZero: 1 as unknown as boolean })).toThrow(/maskZero must be a boolean, got 1/);
    expect(() => Embedding(3, 2, { maskzero: true } as never)).toThrow(/unknown option "maskzero"/);
  });
});
