// The fast convolution and pooling bodies (im2col + GEMM, depthwise loops, one-pass pooling)
// against the portable bodies, on cpu ('host') and wasm ('wasm-heap'), one and two threads:
// values and gradients of every option family, a batch large enough to take several row blocks
// and k blocks, and no tensor left behind.
import { afterAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { useFastKernels, fastKernelsActive, fastKernelsStatus } from '../src/index';

function maxRelErr(a: T.Tensor, b: T.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i] - y[i]) / (1 + Math.abs(y[i])));
  return e;
}

const rnd = (shape: number[], seed: number) => T.randomUniform(shape, -1, 1, 'float32', seed);

/** Values of f and its gradients with respect to xs, with fast kernels on (`threads`) and off. */
function both(threads: number, f: (...xs: T.Tensor[]) => T.Tensor, xs: T.Tensor[]): { fast: T.Tensor[]; plain: T.Tensor[] } {
  const run = () =>
    T.tidy(() => {
      const y = f(...xs);
      const probe = rnd(y.shape, 99);
      return [y, ...T.grads((...p: T.Tensor[]) => T.sum(T.mul(f(...p), probe)))(xs)];
    });
  useFastKernels({ threads });
  expect(fastKernelsActive()).toBe(true);
  const fast = run();
  useFastKernels(false);
  const plain = run();
  return { fast, plain };
}

type Case = [string, (...xs: T.Tensor[]) => T.Tensor, number[][]];

const CASES: Case[] = [
  ['conv 2-D valid + bias + relu', (x, w, b) => T.conv(x, w, b, { activation: 'relu' }), [[2, 9, 8, 3], [3, 3, 3, 16], [16]]],
  ['conv 2-D same, stride 2, 5 filters', (x, w) => T.conv(x, w, null, { strides: 2, padding: 'same' }), [[2, 7, 8, 4], [3, 4, 4, 5]]],
  ['conv 2-D dilation 2, elu', (x, w, b) => T.conv(x, w, b, { dilations: 2, padding: 'same', activation: 'elu' }), [[1, 9, 9, 3], [3, 3, 3, 6], [6]]],
  ['conv 2-D groups 2', (x, w) => T.conv(x, w, null, { groups: 2, padding: 'same' }), [[2, 6, 6, 6], [3, 3, 3, 10]]],
  ['conv 1-D causal, dilation 3', (x, w) => T.conv(x, w, null, { padding: 'causal', dilations: 3 }), [[3, 17, 5], [3, 5, 7]]],
  ['conv 3-D strides [2, 1, 2], same', (x, w, b) => T.conv(x, w, b, { strides: [2, 1, 2], padding: 'same' }), [[2, 5, 4, 6, 3], [2, 3, 2, 3, 4], [4]]],
  ['depthwise 2-D multiplier 2, stride 2', (x, w, b) => T.depthwiseConv(x, w, b, { strides: 2, padding: 'same', activation: 'relu' }), [[2, 7, 6, 3], [3, 3, 3, 2], [6]]],
  ['depthwise 1-D multiplier 1, dilation 2', (x, w) => T.depthwiseConv(x, w, null, { dilations: 2 }), [[2, 11, 4], [3, 4, 1]]],
  ['convTranspose 2-D same, stride 2', (x, w) => T.convTranspose(x, w, { strides: 2, padding: 'same' }), [[2, 4, 5, 3], [3, 3, 6, 3]]],
  ['convTranspose 3-D valid, outputPadding', (x, w) => T.convTranspose(x, w, { strides: [1, 2, 2], outputPadding: [0, 1, 1] }), [[1, 3, 3, 2, 2], [2, 2, 2, 3, 2]]],
  ['maxPooling 2-D 2×2', (x) => T.maxPooling(x, { poolSize: 2 }), [[2, 8, 9, 5]]],
  ['maxPooling 2-D 3×3 stride 2 same', (x) => T.maxPooling(x, { poolSize: 3, strides: 2, padding: 'same' }), [[2, 7, 8, 3]]],
  ['averagePooling 2-D 3×2 same', (x) => T.averagePooling(x, { poolSize: [3, 2], strides: [2, 1], padding: 'same' }), [[2, 7, 5, 3]]],
  // channels a multiple of 4 and enough floats: the engine's SIMD loops (onepass-module.ts) on every thread
  ['maxPooling 2-D 2×2, 32 channels, odd width (SIMD loop)', (x) => T.maxPooling(x, { poolSize: 2 }), [[8, 26, 27, 32]]],
  ['maxPooling 2-D 3×3 stride 2 same, 12 channels (SIMD loop, overlapping windows)', (x) => T.maxPooling(x, { poolSize: 3, strides: 2, padding: 'same' }), [[6, 33, 34, 12]]],
  ['conv 2-D + bias + relu, 32 filters (relu derivative and bias gradient on the engine)', (x, w, b) => T.conv(x, w, b, { activation: 'relu' }), [[8, 20, 20, 4], [3, 3, 4, 32], [32]]],
  ['dense + relu, 20 × 1000 (relu derivative and bias gradient on the engine)', (x, w, b) => T.dense(x, w, b, 'relu'), [[20, 40], [40, 1000], [1000]]],
  ['averagePooling 1-D and maxPooling 3-D', (x, z) => T.add(T.sum(T.averagePooling(x, { poolSize: 3, strides: 2 })), T.sum(T.maxPooling(z, { poolSize: [2, 3, 2], padding: 'same' }))), [[2, 9, 3], [1, 3, 5, 4, 2]]],
];

for (const backend of ['cpu', 'wasm']) {
  describe(`fast conv and pooling bodies on ${backend}`, () => {
    afterAll(async () => {
      useFastKernels(false);
      await T.setBackend('cpu');
    });

    it('are listed among the fast kernels', async () => {
      await T.setBackend(backend);
      useFastKernels(true);
      expect(fastKernelsStatus().kernels).toEqual(expect.arrayContaining(['NeuronaConv', 'NeuronaConvBackpropInput', 'NeuronaConvBackpropFilter', 'NeuronaPool', 'NeuronaPoolGrad']));
    });

    for (const [name, f, shapes] of CASES) {
      for (const threads of [1, 2]) {
        it(`${name} (${threads} thread(s)): the portable body's values and gradients`, async () => {
          await T.setBackend(backend);
          const xs = shapes.map((s, i) => rnd(s, 10 + i));
          const before = T.memory().numTensors;
          const { fast, plain } = both(threads, f, xs);
          fast.forEach((t, i) => expect(maxRelErr(t, plain[i]), `output ${i}`).toBeLessThan(1e-4));
          T.dispose([...fast, ...plain]);
          expect(T.memory().numTensors).toBe(before);
          T.dispose(xs);
        });
      }
    }

    for (const threads of [1, 2]) {
      it(`max pooling with ties gives each window's gradient to its first maximum, as the portable body (${threads} thread(s))`, async () => {
        await T.setBackend(backend);
        // values in {-2, …, 2}: most 3×3 and 2×2 windows hold the maximum more than once;
        // 16 channels take the engine's SIMD loop, 6 the branchless JavaScript loop
        for (const shape of [[4, 30, 31, 16], [2, 14, 15, 6]]) {
          const xs = [T.round(T.mul(rnd(shape, 5), 2))];
          const before = T.memory().numTensors;
          for (const o of [{ poolSize: 2 }, { poolSize: 3, strides: 2, padding: 'same' as const }]) {
            const { fast, plain } = both(threads, (x) => T.maxPooling(x, o), xs);
            fast.forEach((t, i) => expect(maxRelErr(t, plain[i]), `output ${i}`).toBeLessThan(1e-6)); // overlapping windows sum in another order
            T.dispose([...fast, ...plain]);
          }
          expect(T.memory().numTensors).toBe(before);
          T.dispose(xs);
        }
      });
    }

    it('a batch that takes several row blocks (and k blocks in the filter gradient)', async () => {
      await T.setBackend(backend);
      // patch matrix 8·48·48 × 288 floats = 5.3 M > one 4 M-float block
      const xs = [rnd([8, 50, 50, 32], 1), T.mul(rnd([3, 3, 32, 8], 2), 0.1), rnd([8], 3)];
      const { fast, plain } = both(2, (x, w, b) => T.conv(x, w, b, { activation: 'relu' }), xs);
      fast.forEach((t, i) => expect(maxRelErr(t, plain[i]), `output ${i}`).toBeLessThan(2e-4));
      T.dispose([...fast, ...plain, ...xs]);
    }, 300_000);
  });
}
