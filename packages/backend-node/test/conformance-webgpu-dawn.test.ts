import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import { add, tensor1d, getBackendInfo } from '@neurona/tensor';
import { defineNodeConformance } from '../../../test/conformance/node-suite';
import { useNodeBackend, fastKernelsStatus } from '../src/index';

// No GPU here: Dawn runs on SwiftShader's Vulkan driver from Debian's chromium package. The
// loader reads this variable when Dawn creates its instance, so it is set before that. A
// machine with a real GPU can run this with the variable set to its own ICD (or unset it).
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

describe('WebGPU in Node', () => {
  it('declares device memory and no synchronous reads, so fast kernels stay off', () => {
    expect(getBackendInfo()).toMatchObject({ name: 'webgpu', kind: 'gpu', capabilities: { memory: 'device', syncRead: false, gpu: true } });
    expect(fastKernelsStatus().enabled).toBe(false);
  });

  it('explains that synchronous reads of GPU tensors need the async forms', async () => {
    const y = add(tensor1d([1, 2]), tensor1d([3, 4]));
    expect(() => y.dataSync()).toThrow('use the async forms: await t.data(), await t.array()');
    expect(Array.from(await y.data())).toEqual([4, 6]);
  });
});
