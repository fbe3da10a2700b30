// The training-time behaviour of the vision layers: BatchNormalization's moving statistics, the
// seeded random augmentations (affine transforms against TensorFlow's ImageProjectiveTransform
// semantics, re-implemented in test/reference/vision_b.py), and the noise layers' statistics.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import {
  AlphaDropout,
  BatchNormalization,
  BatchNormalizationLayer,
  Dense,
  GaussianDropout,
  GaussianNoise,
  RandomContrast,
  RandomCrop,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  SpatialDropout1D,
  SpatialDropout2D,
  resetNames,
} from '../src/index';
import type { FillMode, Layer } from '../src/index';
import { arr, expectClose, expectedOf, inputsOf, refCase } from './vision-fixtures';

beforeEach(() => resetNames());
let before = 0;
beforeEach(() => {
  before = T.memory().numTensors;
});
afterEach(() => {
  T.clearSeed();
  expect(T.memory().numTensors, 'tensors left by the test').toBe(before);
});

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** The layer's output on `x` in training mode, as numbers (the tensors are released). */
async function trainOut(layer: Layer, x: Tensor): Promise<number[]> {
  const y = layer.apply(x, { training: true });
  const v = await values(y);
  y.dispose();
  return v;
}

describe('BatchNormalization moving statistics', () => {
  it('a training call updates moving_mean and moving_variance as Keras (biased batch variance, momentum 0.99 and 0.9)', async () => {
    const c = refCase('BatchNormalization train');
    for (const [momentum, key] of [
      [undefined, 'movingAfter'],
      [0.9, 'movingAfterMomentum09'],
    ] as const) {
      const layer = BatchNormalization(momentum === undefined ? {} : { momentum });
      const x = inputsOf(c) as Tensor;
      layer.apply(x).dispose();
      const ws = [arr(c, 'gamma'), arr(c, 'beta'), arr(c, 'movingMean'), arr(c, 'movingVariance')];
      layer.setWeights(ws);
      T.dispose(ws);
      const n0 = T.memory().numTensors;
      layer.apply(x, { training: true }).dispose();
      // the update replaced the variables' values: nothing more is allocated
      expect(T.memory().numTensors).toBe(n0);
      const mean = arr(c, key, 'mean');
      const variance = arr(c, key, 'variance');
      expectClose(await values(layer.movingMean as Tensor), await values(mean), `moving_mean (momentum ${momentum ?? 0.99})`);
      expectClose(await values(layer.movingVariance as Tensor), await values(variance), `moving_variance (momentum ${momentum ?? 0.99})`);
      T.dispose([x, mean, variance]);
      layer.dispose();
    }
  });

  it('inference calls leave the moving statistics alone; a frozen layer runs in inference mode even when training', async () => {
    const c = refCase('BatchNormalization inference');
    const layer = new BatchNormalizationLayer();
    const x = inputsOf(c) as Tensor;
    layer.apply(x).dispose();
    const ws = [arr(c, 'gamma'), arr(c, 'beta'), arr(c, 'movingMean'), arr(c, 'movingVariance')];
    layer.setWeights(ws);
    const mm0 = await values(ws[2]);
    const mv0 = await values(ws[3]);
    T.dispose(ws);
    layer.apply(x, { training: false }).dispose();
    expect(await values(layer.movingMean as Tensor)).toEqual(mm0);
    layer.trainable = false;
    expect(layer.trainableWeights).toHaveLength(0);
    const frozen = layer.apply(x, { training: true });
    // Keras 3: trainable = false means inference mode, so the moving statistics normalize
    expectClose(await values(frozen), expectedOf(c), 'frozen BatchNormalization in a training call');
    expect(await values(layer.movingMean as Tensor)).toEqual(mm0);
    expect(await values(layer.movingVariance as Tensor)).toEqual(mv0);
    layer.trainable = true;
    layer.apply(x, { training: true }).dispose();
    expect(await values(layer.movingMean as Tensor)).not.toEqual(mm0);
    T.dispose([x, frozen]);
    layer.dispose();
  });

  it('the update inside a gradient tape trains gamma and beta and moves the statistics, with no gradient through them', async () => {
    const layer = BatchNormalization();
    const x = T.randomNormal([8, 3], 2, 3, 'float32', 1);
    layer.apply(x).dispose();
    const n0 = T.memory().numTensors;
    const { loss, grads } = T.valueAndGradients(() => T.sum(T.square(layer.apply(x, { training: true }))) as T.Scalar, layer.trainableWeights);
    expect(grads).toHaveLength(2);
    T.dispose([loss, ...(grads as Tensor[])]);
    expect(T.memory().numTensors).toBe(n0);
    const meanT = T.mean(x, 0);
    const mean = await values(meanT);
    meanT.dispose();
    expectClose(await values(layer.movingMean as Tensor), mean.map((m) => m * 0.01), 'moving mean after one tape step', 1e-5);
    x.dispose();
    layer.dispose();
  });
});

describe('affine augmentations (a fixed angle, shift or zoom, against TensorFlow semantics)', () => {
  const modes: FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
  for (const mode of modes) {
    for (const interpolation of ['bilinear', 'nearest'] as const) {
      it(`RandomRotation 0.1 turn, fill ${mode}, ${interpolation}`, async () => {
        const c = refCase(`RandomRotation 0.1 turn ${mode} ${interpolation}`);
        const x = inputsOf(c) as Tensor;
        const layer = RandomRotation([0.1, 0.1], { fillMode: mode, interpolation, fillValue: 0.25 });
        expectClose(await trainOut(layer, x), expectedOf(c), `rotation ${mode} ${interpolation}`, 1e-4);
        x.dispose();
        layer.dispose();
      });
    }
  }

  it('RandomTranslation and RandomZoom (both fill modes and interpolations)', async () => {
    const cases: [string, Layer][] = [
      ['RandomTranslation [0.2, 0.2] [-0.3, -0.3] reflect bilinear', RandomTranslation([0.2, 0.2], [-0.3, -0.3])],
      ['RandomZoom [0.5, 0.5] [-0.25, -0.25] constant nearest', RandomZoom([0.5, 0.5], [-0.25, -0.25], { fillMode: 'constant', interpolation: 'nearest' })],
      ['RandomZoom [-0.4, -0.4] wrap bilinear', RandomZoom([-0.4, -0.4], null, { fillMode: 'wrap' })],
    ];
    for (const [name, layer] of cases) {
      const c = refCase(name);
      const x = inputsOf(c) as Tensor;
      expectClose(await trainOut(layer, x), expectedOf(c), name, 1e-4);
      x.dispose();
      layer.dispose();
    }
  });

  it('channels_first gives the same images as channels_last', async () => {
    const c = refCase('RandomRotation 0.1 turn reflect bilinear');
    const x = inputsOf(c) as Tensor;
    const xcf = T.transpose(x, [0, 3, 1, 2]);
    const layer = RandomRotation([0.1, 0.1], { dataFormat: 'channels_first' });
    const y = layer.apply(xcf, { training: true });
    const back = T.transpose(y, [0, 2, 3, 1]);
    expectClose(await values(back), expectedOf(c), 'channels first', 1e-4);
    T.dispose([x, xcf, y, back]);
    layer.dispose();
  });

  it('random angles stay in the factor range and are drawn per image; a seed repeats the sequence', async () => {
    // a one-pixel image moved by rotation: where its (bilinear) spot peaks gives the angle back
    const size = 41;
    const img = T.tidy(() => T.reshape(T.cast(T.oneHot(T.tensor1d([20 * size + 38], 'int32'), size * size), 'float32'), [1, size, size, 1]));
    const x = T.tidy(() => T.tile(img, [16, 1, 1, 1]));
    const angles = async (layer: Layer): Promise<number[]> => {
      const out = await trainOut(layer, x);
      const res: number[] = [];
      for (let i = 0; i < 16; i++) {
        let best = 0;
        let bestV = -Infinity;
        for (let p = 0; p < size * size; p++) if (out[i * size * size + p] > bestV) [bestV, best] = [out[i * size * size + p], p];
        const yy = Math.floor(best / size) - 20;
        const xx = (best % size) - 20;
        // image rows grow downwards: a counter-clockwise turn moves (18, 0) towards negative rows
        res.push(Math.atan2(-yy, xx) / (2 * Math.PI));
      }
      return res;
    };
    const a = RandomRotation([-0.1, 0.05], { seed: 5, fillMode: 'constant' });
    const b = RandomRotation([-0.1, 0.05], { seed: 5, fillMode: 'constant' });
    const ta = await angles(a);
    expect(await angles(b)).toEqual(ta);
    for (const t of ta) {
      expect(t).toBeGreaterThanOrEqual(-0.1 - 0.01);
      expect(t).toBeLessThanOrEqual(0.05 + 0.01);
    }
    expect(new Set(ta.map((t) => t.toFixed(2))).size).toBeGreaterThan(4);
    // the next call draws new angles
    expect(await angles(a)).not.toEqual(ta);
    T.dispose([img, x]);
    a.dispose();
    b.dispose();
  });

  it("the gradient through an augmentation is TensorFlow's: the output gradient under the inverse transform", async () => {
    const c = refCase('RandomRotation 0.1 turn gradient');
    const x = inputsOf(c) as Tensor;
    const probe = arr(c, 'probe');
    const rot = RandomRotation([0.1, 0.1]);
    const xv = T.variable(x, true);
    const n0 = T.memory().numTensors;
    const { loss, grads } = T.valueAndGradients(() => T.sum(T.mul(rot.apply(xv, { training: true }), probe)) as T.Scalar, [xv]);
    const want = arr(c, 'grads', 'x');
    expectClose(await values(grads[0] as Tensor), await values(want), 'd/d x', 1e-4);
    T.dispose([loss, grads[0] as Tensor, want]);
    expect(T.memory().numTensors).toBe(n0);
    T.dispose([x, probe, xv]);
    rot.dispose();
  });
});

describe('flips, contrast, crops', () => {
  it('RandomFlip flips whole images with probability 1/2, seeded, per mode', async () => {
    const x = T.randomUniform([64, 3, 4, 2], 0, 1, 'float32', 3);
    const xs = await values(x);
    const flip = async (axes: number | number[]): Promise<number[]> => {
      const t = T.reverse(x, axes);
      const v = await values(t);
      t.dispose();
      return v;
    };
    const lr = await flip(2);
    const ud = await flip(1);
    const both = await flip([1, 2]);
    const per = 3 * 4 * 2;
    const kinds = (out: number[], flipped: number[]): number[] =>
      Array.from({ length: 64 }, (_, i) => {
        const o = out.slice(i * per, (i + 1) * per);
        if (o.every((v, j) => v === xs[i * per + j])) return 0;
        if (o.every((v, j) => v === flipped[i * per + j])) return 1;
        return -1;
      });
    for (const [mode, flipped] of [
      ['horizontal', lr],
      ['vertical', ud],
      ['horizontal_and_vertical', both],
    ] as const) {
      const layer = RandomFlip(mode, { seed: 7 });
      const k = kinds(await trainOut(layer, x), flipped);
      expect(k.includes(-1), `${mode}: every image is unchanged or flipped as a whole`).toBe(false);
      const n = k.filter((v) => v === 1).length;
      expect(n).toBeGreaterThan(16);
      expect(n).toBeLessThan(48);
      const again = RandomFlip(mode, { seed: 7 });
      expect(kinds(await trainOut(again, x), flipped)).toEqual(k);
      layer.dispose();
      again.dispose();
    }
    x.dispose();
  });

  it('RandomContrast scales each image about its channel means by a factor in [1 - lower, 1 + upper], clipped to valueRange', async () => {
    const x = T.randomUniform([32, 4, 4, 3], 0.3, 0.7, 'float32', 9);
    const layer = RandomContrast([0.5, 0.25], { valueRange: [0, 1], seed: 4 });
    const out = await trainOut(layer, x);
    const xs = await values(x);
    const per = 4 * 4 * 3;
    const factors: number[] = [];
    for (let i = 0; i < 32; i++) {
      const means = [0, 1, 2].map((ch) => {
        let s = 0;
        for (let p = 0; p < 16; p++) s += xs[i * per + p * 3 + ch];
        return s / 16;
      });
      // c from one value, then every value must follow clip((x − m)·c + m)
      const p0 = i * per;
      const c = (out[p0] - means[0]) / (xs[p0] - means[0]);
      factors.push(c);
      for (let p = 0; p < 16; p++) {
        for (let ch = 0; ch < 3; ch++) {
          const j = p0 + p * 3 + ch;
          const want = Math.min(1, Math.max(0, (xs[j] - means[ch]) * c + means[ch]));
          expect(Math.abs(out[j] - want)).toBeLessThan(1e-4);
        }
      }
    }
    expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.5 - 1e-3);
    expect(Math.max(...factors)).toBeLessThanOrEqual(1.25 + 1e-3);
    expect(Math.max(...factors) - Math.min(...factors)).toBeGreaterThan(0.3);
    const clipped = RandomContrast([0, 1], { valueRange: [0.4, 0.6], seed: 1 });
    const co = await trainOut(clipped, x);
    expect(Math.min(...co)).toBeGreaterThanOrEqual(0.4 - 1e-6);
    expect(Math.max(...co)).toBeLessThanOrEqual(0.6 + 1e-6);
    x.dispose();
    layer.dispose();
    clipped.dispose();
  });

  it('RandomCrop takes one random window for the whole batch while training, seeded', async () => {
    const x = T.tidy(() => T.reshape(T.range(0, 2 * 6 * 7 * 1), [2, 6, 7, 1]));
    const layer = RandomCrop(3, 4, { seed: 2 });
    const offsets = new Set<string>();
    for (let k = 0; k < 8; k++) {
      const out = await trainOut(layer, x);
      // value = i·42 + row·7 + col: the window's top-left corner is out[0]
      const top = Math.floor(out[0] / 7);
      const left = out[0] % 7;
      offsets.add(`${top},${left}`);
      for (let i = 0; i < 2; i++) {
        for (let r = 0; r < 3; r++) for (let col = 0; col < 4; col++) expect(out[i * 12 + r * 4 + col]).toBe(i * 42 + (top + r) * 7 + left + col);
      }
      expect(top).toBeLessThanOrEqual(3);
      expect(left).toBeLessThanOrEqual(3);
    }
    expect(offsets.size).toBeGreaterThan(2);
    const a = RandomCrop(3, 4, { seed: 9 });
    const b = RandomCrop(3, 4, { seed: 9 });
    expect(await trainOut(a, x)).toEqual(await trainOut(b, x));
    T.dispose(x);
    [layer, a, b].forEach((l) => l.dispose());
  });
});

describe('noise layers in training', () => {
  it('SpatialDropout drops whole channels and scales the rest by 1 / (1 - rate)', async () => {
    const x = T.ones([40, 5, 6]);
    const out = await trainOut(SpatialDropout1D(0.4, { seed: 3 }), x);
    let dropped = 0;
    for (let b = 0; b < 40; b++) {
      for (let ch = 0; ch < 6; ch++) {
        const col = [0, 1, 2, 3, 4].map((s) => out[b * 30 + s * 6 + ch]);
        expect(new Set(col).size, 'one value per channel of a sample').toBe(1);
        expect([0, 1 / 0.6].some((v) => Math.abs(col[0] - v) < 1e-6)).toBe(true);
        if (col[0] === 0) dropped++;
      }
    }
    expect(dropped / 240).toBeGreaterThan(0.3);
    expect(dropped / 240).toBeLessThan(0.5);
    const x2 = T.ones([4, 2, 3, 5]);
    const cf = await trainOut(SpatialDropout2D(0.5, { seed: 1, dataFormat: 'channels_first' }), x2);
    // channels first: a [3, 5] map per (sample, channel) is all zeros or all 2
    for (let m = 0; m < 8; m++) expect(new Set(cf.slice(m * 15, (m + 1) * 15)).size).toBe(1);
    T.dispose([x, x2]);
  });

  it('GaussianNoise adds N(0, stddev²); GaussianDropout multiplies by N(1, rate / (1 - rate)); seeds repeat', async () => {
    const x = T.fill([20000], 2);
    const gn = await trainOut(GaussianNoise(0.5, { seed: 1 }), x);
    const d = gn.map((v) => v - 2);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.02);
    expect(await trainOut(GaussianNoise(0.5, { seed: 1 }), x)).toEqual(gn);
    const gd = (await trainOut(GaussianDropout(0.2, { seed: 2 }), x)).map((v) => v / 2);
    const m2 = gd.reduce((a, b) => a + b, 0) / gd.length;
    const v2 = gd.reduce((a, b) => a + (b - m2) ** 2, 0) / gd.length;
    expect(Math.abs(m2 - 1)).toBeLessThan(0.02);
    expect(Math.abs(v2 - 0.25)).toBeLessThan(0.02);
    x.dispose();
  });

  it('AlphaDropout keeps zero mean and unit variance of standard normal inputs, dropped values at a·α′ + b', async () => {
    const x = T.randomNormal([40000], 0, 1, 'float32', 6);
    const rate = 0.2;
    const out = await trainOut(AlphaDropout(rate, { seed: 8 }), x);
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    const variance = out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
    const alphaP = -1.6732632423543772 * 1.0507009873554805;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const dropValue = a * alphaP + -a * alphaP * rate;
    const dropped = out.filter((v) => Math.abs(v - dropValue) < 1e-5).length / out.length;
    expect(Math.abs(dropped - rate)).toBeLessThan(0.02);
    x.dispose();
  });

  it('without a seed the global sequence (setSeed) makes the noise reproducible', async () => {
    const x = T.ones([50]);
    T.setSeed(123);
    const first = await trainOut(GaussianNoise(0.3), x);
    T.setSeed(123);
    expect(await trainOut(GaussianNoise(0.3), x)).toEqual(first);
    x.dispose();
  });
});
