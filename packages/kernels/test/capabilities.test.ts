// Fast kernels follow what a backend declares, never its name: a copy of the cpu backend under
// another name gets them when it declares 'host' memory, and loses them when it declares
// 'opaque'; a wrong declaration is caught by the raw-memory probe.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as T from '@neurona/tensor';
import type { BackendCapabilities } from '@neurona/tensor';
import { useFastKernels, fastKernelsStatus, fastKernelsActive } from '../src/index';

const TWIN = 'host-twin';
const HOST: BackendCapabilities = { memory: 'host', syncRead: true, gpu: false };
const rnd = (shape: number[], seed: number) => T.randomUniform(shape, -1, 1, 'float32', seed);

function register(capabilities: BackendCapabilities): void {
  T.registerBackendProvider({ name: TWIN, kind: 'cpu', capabilities, load: async () => ({}) });
}

/** Values of `f()` on the twin backend (inputs made there too). */
function onTwin(f: () => T.Tensor): number[] {
  return Array.from(f().dataSync());
}

describe('fast kernels are chosen by declared capabilities', () => {
  let multiply: ReturnType<typeof tfc.getKernel>;
  beforeAll(async () => {
    useFastKernels(false);
    // the cpu backend again under another name, with tfjs's own cpu kernels
    tfc.registerBackend(TWIN, () => new MathBackendCPU());
    for (const k of tfc.getKernelsForBackend('cpu')) tfc.registerKernel({ ...k, backendName: TWIN });
    multiply = tfc.getKernel('Multiply', TWIN);
  });
  afterAll(async () => {
    useFastKernels(false);
    await T.setBackend('cpu');
  });

  it("a backend of any name that declares 'host' memory gets them, also when registered after the switch", async () => {
    useFastKernels(true);
    register(HOST);
    await T.setBackend(TWIN);
    expect(fastKernelsStatus().backends).toContain(TWIN);
    expect(fastKernelsStatus().builtins).toEqual(expect.arrayContaining([`${TWIN}/Add`, `${TWIN}/Sub`, `${TWIN}/Multiply`]));
    expect(tfc.getKernel('Multiply', TWIN)).not.toBe(multiply);
    expect(fastKernelsActive()).toBe(true);
    // the row copy says so in its own words when an index is out of range
    expect(() => T.gatherRows(T.ones([3, 2]), [3])).toThrow('gatherRows: index 3 is not in [0, 2]');
  });

  it("declaring 'opaque' instead takes them away: portable bodies, tfjs's own built-ins", async () => {
    const fast = onTwin(() => T.dense(rnd([9, 7], 1), rnd([7, 5], 2), rnd([5], 3), 'relu'));
    register({ memory: 'opaque', syncRead: true, gpu: false });
    expect(fastKernelsStatus().backends).not.toContain(TWIN);
    expect(fastKernelsStatus().builtins.filter((b) => b.startsWith(`${TWIN}/`))).toEqual([]);
    expect(tfc.getKernel('Multiply', TWIN)).toBe(multiply);
    expect(fastKernelsActive()).toBe(false);
    const plain = onTwin(() => T.dense(rnd([9, 7], 1), rnd([7, 5], 2), rnd([5], 3), 'relu'));
    plain.forEach((v, i) => expect(fast[i]).toBeCloseTo(v, 5));
    // GatherV2 (tfjs's message) instead of the row copy
    expect(() => T.gatherRows(T.ones([3, 2]), [3])).toThrow(/GatherV2: the index value 3 is not in \[0, 2\]/);
  });

  it('a backend whose declared memory is not what it has: the probe warns once and the ops stay right', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // a fresh backend instance, so the probe runs for it
    await T.setBackend('cpu');
    tfc.removeBackend(TWIN);
    tfc.registerBackend(TWIN, () => new MathBackendCPU());
    register({ memory: 'wasm-heap', syncRead: true, gpu: false });
    await T.setBackend(TWIN);
    const a = rnd([6, 4], 4);
    const b = rnd([4, 3], 5);
    const got = T.matMulT(a, b);
    const want = T.matMul(a as T.Tensor2D, b as T.Tensor2D);
    Array.from(got.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want.dataSync()[i], 5));
    T.gatherRows(a, [1, 2]);
    expect(fastKernelsActive()).toBe(false);
    const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith('@neurona/kernels'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/backend "host-twin" declares memory 'wasm-heap', but its tensors are not where @tensorflow\/tfjs-core 4\.22\.0 kept them \(no dataIdMap\.get\(\)\)/);
    warn.mockRestore();
  });
});
