import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import * as T from '@neurona/tensor';
import { add, tensor1d, getBackendInfo } from '@neurona/tensor';
import { defineNodeConformance } from '../../../test/conformance/node-suite';
import { useNodeBackend, fastKernelsStatus } from '../src/index';

// No GPU here: Dawn runs on SwiftShader's Vulkan driver from Debian's chromium package. The
// loader reads this variable when Dawn creates its instance, so it is set before that. A
// machine with a real GPU can run this with the variable set to its own ICD (or unset it).
// VK_ICD_FILENAMES comes from the root vitest config (scripts/find-browser.mjs): SwiftShader beside
// whichever Chromium it found; Debian's path when this file runs alone.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

defineNodeConformance(
  'webgpu (Node, Dawn)',
  async () => {
    await useNodeBackend({ force: 'webgpu', silent: true });
    // tfjs-webgpu runs small ops whose inputs are on the CPU on the cpu backend instead;
    // turn that off so every vector exercises the WebGPU kernels.
    tfc.env().set('WEBGPU_CPU_FORWARD', false);
  },
  180_000,
);

const rnd = (shape: number[], seed: number) => T.randomUniform(shape, -1, 1, 'float32', seed);

/** Equal within 1e-4 relative, read asynchronously (no sync reads on WebGPU in Node). */
async function close(a: T.Tensor, b: T.Tensor): Promise<void> {
  const [x, y] = [await a.data(), await b.data()];
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(y[i]))));
}

describe('WebGPU in Node', () => {
  it('declares device memory and no synchronous reads, so fast kernels stay off', () => {
    expect(getBackendInfo()).toMatchObject({ name: 'webgpu', kind: 'gpu', capabilities: { memory: 'device', syncRead: false, gpu: true } });
    expect(fastKernelsStatus().enabled).toBe(false);
  });

  it("neurona's fused ops run their portable bodies there, with the plain ops' values and gradients", async () => {
    const x = T.mul(rnd([6, 5], 1), 3);
    const W = rnd([5, 4], 2);
    const b = rnd([4], 3);
    const w = rnd([6, 4], 4);
    const plainAct = { relu: T.relu, relu6: T.relu6, elu: T.elu, sigmoid: T.sigmoid, leakyrelu: (z: T.Tensor) => T.leakyRelu(z, 0.1) };
    for (const [act, f] of Object.entries(plainAct) as [keyof typeof plainAct, (z: T.Tensor) => T.Tensor][]) {
      const gf = T.grads((p: T.Tensor, k: T.Tensor, c: T.Tensor) => T.sum(T.mul(T.dense(p, k, c, act), w)))([x, W, b]);
      const gp = T.grads((p: T.Tensor, k: T.Tensor, c: T.Tensor) => T.sum(T.mul(f(T.add(T.matMul(p as T.Tensor2D, k as T.Tensor2D), c)), w)))([x, W, b]);
      for (let i = 0; i < 3; i++) await close(gf[i], gp[i]);
    }
    const labels = T.softmax(rnd([6, 4], 5));
    const [gs] = T.grads((l: T.Tensor) => T.sum(T.softmaxCrossEntropyWithLogits(labels, l)))([x.slice([0, 0], [6, 4])]);
    const [gr] = T.grads((l: T.Tensor) => T.sum(T.neg(T.sum(T.mul(labels, T.logSoftmax(l)), 1))))([x.slice([0, 0], [6, 4])]);
    await close(gs, gr);
    const rows = T.gatherRows(x, [4, 0, 1]);
    await close(rows, T.gather(x, tensor1d([4, 0, 1], 'int32')));
  });

  it('explains that synchronous reads of GPU tensors need the async forms', async () => {
    const y = add(tensor1d([1, 2]), tensor1d([3, 4]));
    expect(() => y.dataSync()).toThrow('use the async forms: await t.data(), await t.array()');
    expect(Array.from(await y.data())).toEqual([4, 6]);
  });
});
