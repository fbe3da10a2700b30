// The portable bodies of ACTIVATION_GRAD and SOFTMAX_CE_GRAD chain the same backend kernels as
// the tfjs ops they replace, so their values are bit for bit those of the ops. They run on a copy
// of the cpu backend that declares nothing, so no kernel package gives it other bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as T from '../src/index';
import { runNeuronaKernel } from '../src/kernel-util';
import { ACTIVATION_GRAD } from '../src/activation-grad';
import { SOFTMAX_CE_GRAD } from '../src/softmax-cross-entropy';
import type { FusedActivation } from '../src/fused';

const PLAIN = 'cpu-portable';

/** The ops the portable body stands for (what the op files ran before it was a kernel). */
function reference(dy: T.Tensor, y: T.Tensor, activation: FusedActivation, alpha: number): T.Tensor {
  switch (activation) {
    case 'relu':
      return tfc.mul(dy, tfc.step(y, 0));
    case 'leakyrelu':
      return tfc.mul(dy, tfc.step(y, alpha));
    case 'relu6':
      return tfc.mul(dy, tfc.mul(tfc.step(y, 0), tfc.step(tfc.sub(6, y), 0)));
    case 'elu':
      return tfc.where(tfc.greater(y, 0), dy, tfc.mul(dy, tfc.add(y, 1)));
    case 'sigmoid':
      return tfc.mul(dy, tfc.mul(y, tfc.sub(1, y)));
    default:
      return dy;
  }
}

/** The elu derivative written with step: tfjs has no gradient for Greater (the form above). */
function eluForm(d: T.Tensor, v: T.Tensor): T.Tensor {
  return tfc.mul(d, tfc.add(tfc.step(v, 0), tfc.mul(tfc.sub(1, tfc.step(v, 0)), tfc.add(v, 1))));
}

const bits = (t: T.Tensor) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
const rnd = (shape: number[], seed: number, scale = 1) => T.mul(T.randomUniform(shape, -1, 1, 'float32', seed), scale);

describe('portable kernel bodies', () => {
  beforeAll(async () => {
    tfc.registerBackend(PLAIN, () => new MathBackendCPU());
    for (const k of tfc.getKernelsForBackend('cpu')) tfc.registerKernel({ ...k, backendName: PLAIN });
    T.registerBackendProvider({ name: PLAIN, kind: 'cpu', load: async () => ({}) });
    await T.setBackend(PLAIN);
  });
  afterAll(async () => {
    await T.setBackend('cpu');
  });

  const ACTS: FusedActivation[] = ['relu', 'leakyrelu', 'relu6', 'elu', 'sigmoid'];
  for (const activation of ACTS) {
    it(`ACTIVATION_GRAD (${activation}) gives exactly the values of the ops it replaces, and leaks nothing`, () => {
      const dy = rnd([7, 9], 1, 3);
      // outputs around the kinks: negatives, 0, 6 and beyond
      const y = T.concat([rnd([6, 9], 2, 7), T.tensor2d([[0, 6, 7, -1, 0.5, 1e-7, -1e-7, 6.0000005, 5.9999995]])], 0);
      const before = T.memory().numTensors;
      const got = runNeuronaKernel(ACTIVATION_GRAD, { dy, y }, { activation, leakyreluAlpha: 0.3 });
      expect(T.memory().numTensors).toBe(before + 1);
      const want = reference(dy, y, activation, 0.3);
      expect(bits(got)).toEqual(bits(want));
      T.dispose([got, want]);
    });

    it(`ACTIVATION_GRAD (${activation}) has the gradients of the ops it replaces (second order)`, () => {
      const dy = rnd([4, 5], 3, 2);
      const y = activation === 'sigmoid' ? T.sigmoid(rnd([4, 5], 4, 3)) : rnd([4, 5], 4, 3);
      const w = rnd([4, 5], 5);
      const f = (d: T.Tensor, v: T.Tensor) => T.sum(T.mul(runNeuronaKernel(ACTIVATION_GRAD, { dy: d, y: v }, { activation, leakyreluAlpha: 0.3 }), w));
      const g = (d: T.Tensor, v: T.Tensor) => T.sum(T.mul(activation === 'elu' ? eluForm(d, v) : reference(d, v, activation, 0.3), w));
      const got = T.grads(f)([dy, y]);
      const want = T.grads(g)([dy, y]);
      got.forEach((t, i) => Array.from(t.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(want[i].dataSync()[j], 6)));
    });
  }

  it('SOFTMAX_CE_GRAD gives exactly dy·(softmax·Σy − y) as the ops compute it', () => {
    const dy = rnd([6], 6, 2);
    const probs = T.softmax(rnd([6, 4], 7, 3));
    const labels = T.softmax(rnd([6, 4], 8));
    const before = T.memory().numTensors;
    const got = runNeuronaKernel(SOFTMAX_CE_GRAD, { dy, probs, labels });
    expect(T.memory().numTensors).toBe(before + 1);
    const want = tfc.mul(tfc.expandDims(dy, 1), tfc.sub(tfc.mul(probs, tfc.sum(labels, 1, true)), labels));
    expect(bits(got)).toEqual(bits(want));
  });

  it('dense and softmaxCrossEntropyWithLogits train on it with the gradients of the plain ops', () => {
    const x = rnd([5, 3], 9);
    const W = rnd([3, 4], 10);
    const b = rnd([4], 11);
    const y = T.oneHot(T.tensor1d([0, 3, 1, 2, 3], 'int32'), 4);
    const fused = (k: T.Tensor, c: T.Tensor) => T.mean(T.softmaxCrossEntropyWithLogits(y, T.dense(x, k, c, 'elu')));
    const plain = (k: T.Tensor, c: T.Tensor) => T.mean(T.neg(T.sum(T.mul(y, T.logSoftmax(T.elu(T.add(T.matMul(x as T.Tensor2D, k as T.Tensor2D), c)))), 1)));
    const gf = T.grads(fused)([W, b]);
    const gp = T.grads(plain)([W, b]);
    gf.forEach((t, i) => Array.from(t.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(gp[i].dataSync()[j], 5)));
  });
});
