// ConvLSTM1D and ConvLSTM2D against PyTorch (float64, Keras's ConvLSTMCell maths and layouts):
// output sequences, final states and the gradients of the input and every weight, with padding
// same/valid, strides, masks and goBackwards; runLayerTest, config and errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { ConvLSTM1D, ConvLSTM1DLayer, ConvLSTM2D, ConvLSTM2DLayer, resetNames, runLayerTest } from '../src/index';

interface Case {
  rank: 1 | 2;
  spatial: number[];
  padding: 'same' | 'valid';
  strides: number;
  masked: boolean;
  goBackwards: boolean;
  B: number;
  T: number;
  C: number;
  filters: number;
  kernel: number;
  x: number[];
  kernel_w: number[];
  recurrent_w: number[];
  bias: number[];
  probe: number[];
  sequence: number[];
  sequence_shape: number[];
  h: number[];
  c: number[];
  grads: Record<string, number[]>;
}
const REF = JSON.parse(readFileSync(join(import.meta.dirname, 'reference', 'conv_lstm.json'), 'utf8')) as { cases: Case[] };
const MASK = [
  [1, 0, 1],
  [1, 1, 0],
];

beforeEach(() => resetNames());

function expectClose(got: ArrayLike<number>, want: number[], what: string, tol = 3e-5): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) throw new Error(`${what}[${i}]: got ${got[i]}, PyTorch ${want[i]}`);
  }
}

describe('ConvLSTM against PyTorch', () => {
  for (const c of REF.cases) {
    it(`ConvLSTM${c.rank}D ${c.padding}, strides ${c.strides}${c.masked ? ', masked' : ''}${c.goBackwards ? ', goBackwards' : ''}`, () => {
      const o = { padding: c.padding, strides: c.strides, returnSequences: true, returnState: true, goBackwards: c.goBackwards };
      const layer = c.rank === 2 ? ConvLSTM2D(c.filters, c.kernel, o) : ConvLSTM1D(c.filters, c.kernel, o);
      const inShape = [c.B, c.T, ...c.spatial, c.C];
      layer.build([null, ...inShape.slice(1)]);
      const ws = [c.kernel_w, c.recurrent_w, c.bias].map((v, i) => T.tensor(v, layer.weights[i].shape));
      layer.setWeights(ws);
      T.dispose(ws);
      const before = T.memory().numTensors;
      T.tidy(() => {
        const x = T.tensor(c.x, inShape);
        const mask = c.masked ? T.tensor2d(MASK, [2, 3], 'bool') : undefined;
        const probe = T.tensor(c.probe, c.sequence_shape);
        const run = (xs: Tensor) => layer.apply(xs, { mask }) as unknown as Tensor[];
        const [seq, h, cc] = run(x);
        expect(seq.shape).toEqual(c.sequence_shape);
        expectClose(seq.dataSync(), c.sequence, 'sequence');
        expectClose(h.dataSync(), c.h, 'h');
        expectClose(cc.dataSync(), c.c, 'c');
        const j = (xs: Tensor) => {
          const [s, hh, ch] = run(xs);
          return T.add(T.add(T.sum(T.mul(s, probe)), T.sum(hh)), T.mul(T.sum(ch), 0.5)) as T.Scalar;
        };
        expectClose(T.grads(j)([x])[0].dataSync(), c.grads.x, 'd/dx');
        const g = T.valueAndGradients(() => j(x), layer.trainableWeights);
        ['kernel', 'recurrent_kernel', 'bias'].forEach((n, i) => expectClose((g.grads[i] as Tensor).dataSync(), c.grads[n], `d/d ${n}`));
      });
      expect(T.memory().numTensors).toBe(before);
      layer.dispose();
    });
  }
});

describe('ConvLSTM layers', () => {
  it('pass runLayerTest (2-D and 1-D)', async () => {
    // a sequence mask covers batch and time
    const mask = T.tensor2d(MASK, [2, 3], 'bool');
    await runLayerTest({
      inputMask: mask,
      layer: ConvLSTM2DLayer,
      config: { filters: 2, kernelSize: [3, 3], padding: 'same', returnSequences: true },
      inputShape: [2, 3, 4, 4, 2],
      expectedOutputShape: [2, 3, 4, 4, 2],
      expectedTrainableWeights: 3,
      supportsMasking: true,
      gradientTolerance: 3e-2,
    });
    await runLayerTest({ layer: ConvLSTM1DLayer, config: { filters: 3, kernelSize: 2, strides: 2 }, inputShape: [2, 3, 6, 2], expectedOutputShape: [2, 3, 3], inputMask: mask });
    mask.dispose();
  });

  it("Keras's layouts, defaults and config", () => {
    const l = ConvLSTM2D(4, [3, 2], { padding: 'same' });
    l.build([null, 5, 8, 7, 3]);
    expect(l.weights.map((w) => w.shape)).toEqual([
      [3, 2, 3, 16],
      [3, 2, 4, 16],
      [16],
    ]);
    expect(Array.from(l.weights[2].dataSync()).slice(4, 8)).toEqual([1, 1, 1, 1]);
    expect(l.computeOutputShape([null, 5, 8, 7, 3])).toEqual([null, 8, 7, 4]);
    expect(ConvLSTM2D(4, 3, { returnSequences: true, strides: 2 }).computeOutputShape([null, 5, 8, 7, 3])).toEqual([null, 5, 3, 3, 4]);
    expect(l.getConfig()).toMatchObject({ filters: 4, kernelSize: [3, 2], strides: [1, 1], padding: 'same', dataFormat: 'channels_last', dilationRate: [1, 1], recurrentActivation: 'sigmoid', unitForgetBias: true });
    expect(l.getConfig()).not.toHaveProperty('cell');
    expect(l.getConfig()).not.toHaveProperty('rank');
    l.dispose();
  });

  it('errors name the layer and what was expected', () => {
    expect(() => ConvLSTM2D(2, 3).apply(T.zeros([2, 3, 4, 4]))).toThrow(/ConvLSTM2D "conv_lstm2d" expects input \[null, timesteps, d1, d2, d3\], got \[2, 3, 4, 4\]/);
    expect(() => ConvLSTM2D(2, 3, { strides: 2, dilationRate: 2 })).toThrow(/strides > 1 and dilationRate > 1 cannot be combined/);
    expect(() => ConvLSTM2D(2, 3, { dataFormat: 'channels_first' as never })).toThrow(/only dataFormat 'channels_last' is supported/);
    expect(() => ConvLSTM1D(2, 5).apply(T.zeros([1, 2, 3, 1]))).toThrow(/is smaller than the kernel/);
  });
});
