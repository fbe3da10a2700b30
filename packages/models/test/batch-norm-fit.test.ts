// BatchNormalization's moving statistics during fit: updated by every training step (the fused
// built-in step and a model's own trainStep alike), never by evaluate, predict or validation,
// frozen with the layer, and without leaking tensors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { BatchNormalization, Dense, Input, resetNames } from '@neurona/layers';
import type { BatchNormalizationLayer, Layer } from '@neurona/layers';
import { FunctionalModel, Model, Sequential } from '../src/index';
import type { StepData, StepLogs } from '../src/index';

beforeEach(() => resetNames());
afterEach(() => T.clearSeed());

const N = 24;
const BATCH = 8;
const FEATURES = 3;

// Inputs with per-feature means and spreads far from BatchNormalization's initial statistics.
function data(): { x: Tensor; y: Tensor; rows: number[][] } {
  const rng = T.createRng(3);
  const rows = Array.from({ length: N }, () => Array.from({ length: FEATURES }, (_, j) => (j + 1) * 2 + (rng() - 0.5) * (j + 1) * 3));
  const x = T.tensor2d(rows);
  const y = T.tensor2d(rows.map((r) => [r[0] - r[1] + 0.5 * r[2]]));
  return { x, y, rows };
}

/**
 * The moving statistics after `epochs` epochs over `rows` in order (no shuffling), as Keras
 * computes them: per batch, `moving = moving·m + batch·(1 − m)`, with the batch's biased variance.
 * BatchNormalization comes first, so its inputs are the data whatever the other layers learn.
 */
function expectedMoving(rows: number[][], epochs: number, momentum = 0.99): { mean: number[]; variance: number[] } {
  const mean = Array.from({ length: FEATURES }, () => 0);
  const variance = Array.from({ length: FEATURES }, () => 1);
  for (let e = 0; e < epochs; e++) {
    for (let b = 0; b < rows.length; b += BATCH) {
      const batch = rows.slice(b, b + BATCH);
      for (let j = 0; j < FEATURES; j++) {
        const m = batch.reduce((s, r) => s + r[j], 0) / batch.length;
        const v = batch.reduce((s, r) => s + (r[j] - m) ** 2, 0) / batch.length;
        mean[j] = mean[j] * momentum + m * (1 - momentum);
        variance[j] = variance[j] * momentum + v * (1 - momentum);
      }
    }
  }
  return { mean, variance };
}

function closeTo(actual: ArrayLike<number>, expected: number[], what: string, tol = 1e-4): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((e, i) => {
    if (Math.abs(actual[i] - e) > tol * Math.max(1, Math.abs(e))) throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${e}`);
  });
}

async function moving(bn: Layer): Promise<{ mean: number[]; variance: number[] }> {
  const l = bn as BatchNormalizationLayer;
  return { mean: Array.from(await (l.movingMean as Tensor).data()), variance: Array.from(await (l.movingVariance as Tensor).data()) };
}

/** A model with Keras's default steps written out as its own trainStep/testStep (the hook path). */
class HookModel extends FunctionalModel {
  override trainStep(data: StepData): StepLogs {
    return super.trainStep(data);
  }
  override testStep(data: StepData): StepLogs {
    return super.testStep(data);
  }
}

function build(kind: 'fused' | 'hooks', momentum?: number): { model: FunctionalModel; bn: Layer } {
  const inputs = Input({ shape: [FEATURES] });
  const bn = BatchNormalization(momentum === undefined ? {} : { momentum });
  const h = Dense(4, { activation: 'relu' })(bn(inputs));
  const outputs = Dense(1)(h);
  const model = kind === 'fused' ? Model({ inputs, outputs }) : new HookModel({ inputs, outputs });
  model.compile({ loss: 'mse', optimizer: 'adam' });
  return { model, bn };
}

describe('BatchNormalization in fit', () => {
  for (const kind of ['fused', 'hooks'] as const) {
    it(`${kind}: every training step updates the moving statistics as Keras does; validation does not`, async () => {
      const { x, y, rows } = data();
      T.setSeed(1);
      const { model, bn } = build(kind);
      await model.fit(x, y, { epochs: 2, batchSize: BATCH, shuffle: false, verbose: 0, validationData: [x, y] });
      const got = await moving(bn);
      const want = expectedMoving(rows, 2);
      closeTo(got.mean, want.mean, `${kind} moving_mean`);
      closeTo(got.variance, want.variance, `${kind} moving_variance`);
      model.dispose();
      T.dispose([x, y]);
    });
  }

  it('the fused steps and the hooks train to the same weights and statistics', async () => {
    const { x, y } = data();
    const results: number[][] = [];
    for (const kind of ['fused', 'hooks'] as const) {
      resetNames();
      T.setSeed(5);
      const { model } = build(kind, 0.9);
      await model.fit(x, y, { epochs: 3, batchSize: BATCH, shuffle: false, verbose: 0 });
      const ws = model.getWeights();
      results.push(ws.flatMap((w) => Array.from(w.dataSync())));
      T.dispose(ws);
      model.dispose();
    }
    closeTo(results[1], results[0], 'hooks vs fused', 1e-5);
    T.dispose([x, y]);
  });

  it('evaluate, predict and inference calls leave the statistics alone; fit leaks nothing', async () => {
    const { x, y } = data();
    T.setSeed(2);
    const { model, bn } = build('fused');
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
    const after = await moving(bn);
    await model.evaluate(x, y, { batchSize: BATCH, verbose: 0 });
    T.dispose(model.predict(x, { batchSize: BATCH }));
    model.apply(x).dispose();
    expect(await moving(bn)).toEqual(after);
    // the optimizer state exists now: another epoch allocates nothing that stays
    const n0 = T.memory().numTensors;
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
    expect(T.memory().numTensors).toBe(n0);
    expect(await moving(bn)).not.toEqual(after);
    model.dispose();
    T.dispose([x, y]);
  });

  it('a frozen BatchNormalization (trainable = false) keeps its statistics and runs in inference mode', async () => {
    const { x, y } = data();
    T.setSeed(4);
    const { model, bn } = build('fused');
    bn.trainable = false;
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const before = await moving(bn);
    const gammaBefore = Array.from(await bn.weights[0].data());
    // one step over all the data: the loss it reports was computed before its update, so in
    // inference mode it equals evaluate's (in training mode the batch statistics would differ)
    const inference = (await model.evaluate(x, y, { batchSize: N, verbose: 0 })) as number;
    const h = await model.fit(x, y, { epochs: 1, batchSize: N, shuffle: false, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(inference, 5);
    expect(await moving(bn)).toEqual(before);
    expect(Array.from(await bn.weights[0].data())).toEqual(gammaBefore);
    bn.trainable = true;
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const h2 = await model.fit(x, y, { epochs: 1, batchSize: N, shuffle: false, verbose: 0 });
    const inference2 = (await model.evaluate(x, y, { batchSize: N, verbose: 0 })) as number;
    expect(Math.abs(h2.history.loss[0] - inference2)).toBeGreaterThan(1e-3);
    expect(await moving(bn)).not.toEqual(before);
    model.dispose();
    T.dispose([x, y]);
  });

  it('in a Sequential, with momentum 0.9, through trainOnBatch', async () => {
    const { x, y, rows } = data();
    T.setSeed(6);
    const bn = BatchNormalization({ momentum: 0.9, inputShape: [FEATURES] });
    const model = Sequential([bn, Dense(1)]);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const first = T.slice(x, [0, 0], [BATCH, FEATURES]);
    const firstY = T.slice(y, [0, 0], [BATCH, 1]);
    await model.trainOnBatch(first, firstY);
    const want = expectedMoving(rows.slice(0, BATCH), 1, 0.9);
    const got = await moving(bn);
    closeTo(got.mean, want.mean, 'moving_mean after trainOnBatch');
    closeTo(got.variance, want.variance, 'moving_variance after trainOnBatch');
    await model.testOnBatch(first, firstY);
    expect(await moving(bn)).toEqual(got);
    model.dispose();
    T.dispose([x, y, first, firstY]);
  });
});
