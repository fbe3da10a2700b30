// conv, depthwiseConv, convTranspose, maxPooling and averagePooling against direct float64 loops
// (conv-reference.ts): values and the gradients of Σ G·op(x, w) for a seeded probe G, on the test
// backend (fast bodies where @neurona/kernels gives them) and on a copy of the cpu backend that
// declares nothing (the portable bodies), for every option family: strides, both paddings,
// causal, dilation, groups, depth multiplier, output padding, 1-D, 2-D and 3-D.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as T from '../src/index';
import { convGradRef, convRef, convTransposeRef, poolRef, tfPad, values, type Arr, type Geometry } from './conv-reference';

const PLAIN = 'cpu-portable-conv';
const BACKENDS = ['cpu', PLAIN];

beforeAll(() => {
  tfc.registerBackend(PLAIN, () => new MathBackendCPU());
  for (const k of tfc.getKernelsForBackend('cpu')) tfc.registerKernel({ ...k, backendName: PLAIN });
  T.registerBackendProvider({ name: PLAIN, kind: 'cpu', load: async () => ({}) });
});
afterAll(async () => {
  await T.setBackend('cpu');
});

const tensorOf = (a: Arr, shape = a.shape) => T.tensor(Float32Array.from(a.data), shape);

function expectClose(got: T.Tensor, want: Arr, wantShape: number[], what: string, tol = 1e-4): void {
  expect(got.shape, `${what} shape`).toEqual(wantShape);
  const v = got.dataSync();
  let worst = 0;
  for (let i = 0; i < v.length; i++) worst = Math.max(worst, Math.abs(v[i] - want.data[i]) / (1 + Math.abs(want.data[i])));
  expect(worst, `${what}: worst relative error`).toBeLessThan(tol);
}

/** Lift a spatial list of rank r to the reference's three axes. */
const lift = (s: number[], fill: number) => [...Array.from({ length: 3 - s.length }, () => fill), ...s];
const lift5 = (shape: number[]) => [shape[0], ...lift(shape.slice(1, -1), 1), shape[shape.length - 1]];

interface ConvCase {
  name: string;
  x: number[];
  k: number[];
  strides?: number[];
  dilations?: number[];
  padding: 'valid' | 'same' | 'causal';
  groups?: number;
  bias?: boolean;
  activation?: 'relu';
}

const CONV_CASES: ConvCase[] = [
  { name: '2-D valid', x: [2, 7, 6, 3], k: [3, 3, 3, 4], padding: 'valid', bias: true },
  { name: '2-D same, stride 2 (asymmetric padding)', x: [2, 6, 7, 3], k: [3, 4, 3, 5], strides: [2, 2], padding: 'same' },
  { name: '2-D same, dilation 2', x: [1, 7, 8, 2], k: [3, 3, 2, 3], dilations: [2, 2], padding: 'same', bias: true },
  { name: '2-D valid, strides [2, 1], rectangular kernel', x: [2, 8, 5, 2], k: [3, 2, 2, 4], strides: [2, 1], padding: 'valid' },
  { name: '2-D groups 2', x: [2, 5, 5, 4], k: [3, 3, 2, 6], groups: 2, padding: 'same', bias: true },
  { name: '2-D groups = channels (depthwise form)', x: [1, 6, 6, 3], k: [3, 3, 1, 6], groups: 3, padding: 'valid' },
  { name: '2-D strides and dilation both > 1', x: [1, 9, 9, 2], k: [2, 2, 2, 3], strides: [2, 2], dilations: [2, 2], padding: 'valid' },
  { name: '2-D fused relu', x: [2, 5, 6, 2], k: [2, 2, 2, 3], padding: 'valid', bias: true, activation: 'relu' },
  { name: '1-D causal, dilation 2', x: [2, 9, 3], k: [3, 3, 4], dilations: [2], padding: 'causal', bias: true },
  { name: '1-D same, stride 2', x: [2, 8, 2], k: [4, 2, 3], strides: [2], padding: 'same' },
  { name: '1-D groups 3', x: [1, 7, 6], k: [2, 2, 3], groups: 3, padding: 'valid' },
  { name: '3-D valid, strides [1, 2, 1]', x: [1, 4, 5, 4, 2], k: [2, 3, 2, 2, 3], strides: [1, 2, 1], padding: 'valid', bias: true },
  { name: '3-D same, dilation 2', x: [1, 5, 4, 5, 2], k: [2, 2, 2, 2, 2], dilations: [2, 1, 2], padding: 'same' },
  { name: '3-D groups 2', x: [2, 3, 4, 3, 4], k: [2, 2, 2, 2, 4], groups: 2, padding: 'valid' },
];

function convCase(c: ConvCase, seed: number): void {
  const r = c.k.length - 2;
  const x = values(c.x, seed);
  const w = values(c.k, seed + 1);
  const bias = c.bias ? Array.from(values([c.k[c.k.length - 1]], seed + 2).data) : undefined;
  const strides = c.strides ?? Array.from({ length: r }, () => 1);
  const dilations = c.dilations ?? Array.from({ length: r }, () => 1);
  const pads = c.x.slice(1, -1).flatMap((n, i) => tfPad(c.padding, n, c.k[i], strides[i], dilations[i]));
  const g: Geometry = { strides: lift(strides, 1), dilations: lift(dilations, 1), pads: [...Array.from({ length: 2 * (3 - r) }, () => 0), ...pads], groups: c.groups ?? 1 };
  const x5: Arr = { shape: lift5(c.x), data: x.data };
  const w5: Arr = { shape: [...lift(c.k.slice(0, r), 1), ...c.k.slice(r)], data: w.data };
  const y = convRef(x5, w5, g, bias);
  if (c.activation === 'relu') y.data.forEach((v, i) => (y.data[i] = Math.max(0, v)));
  const yShape = [c.x[0], ...y.shape.slice(4 - r, 4), y.shape[4]];
  const G = values(y.shape, seed + 3);
  // relu: the gradient flows only where the output is positive
  const Gm: Arr = c.activation === 'relu' ? { shape: G.shape, data: G.data.map((v, i) => (y.data[i] > 0 ? v : 0)) } : G;
  const { dx, dw } = convGradRef(x5, w5, Gm, g);
  for (const backend of BACKENDS) {
    it(`conv ${c.name} on ${backend}`, async () => {
      await T.setBackend(backend);
      const xt = tensorOf(x);
      const wt = tensorOf(w);
      const bt = bias ? T.tensor1d(bias) : null;
      const Gt = tensorOf(G, yShape);
      const before = T.memory().numTensors;
      const opts = { strides, dilations, padding: c.padding, groups: c.groups, activation: c.activation };
      const out = T.conv(xt, wt, bt, opts);
      expectClose(out, y, yShape, 'y');
      const f = (p: T.Tensor, q: T.Tensor) => T.sum(T.mul(T.conv(p, q, bt, opts), Gt));
      const [gx, gw] = T.grads(f)([xt, wt]);
      expectClose(gx, dx, c.x, 'dx');
      expectClose(gw, dw, c.k, 'dw');
      if (bt) {
        const gb = T.grads((b: T.Tensor) => T.sum(T.mul(T.conv(xt, wt, b, opts), Gt)))([bt])[0];
        const want = new Float64Array(bias!.length);
        Gm.data.forEach((v, i) => (want[i % want.length] += v));
        expectClose(gb, { shape: [want.length], data: want }, [want.length], 'dbias');
        gb.dispose();
      }
      T.dispose([out, gx, gw]);
      expect(T.memory().numTensors, 'tensors left').toBe(before);
      T.dispose([xt, wt, Gt, ...(bt ? [bt] : [])]);
    });
  }
}

describe('conv against direct loops', () => {
  CONV_CASES.forEach((c, i) => convCase(c, 100 + 10 * i));
});

describe('depthwiseConv against direct loops', () => {
  const CASES = [
    { name: '2-D multiplier 2, same, stride 2', x: [2, 6, 5, 3], k: [3, 3, 3, 2], strides: [2, 2], padding: 'same' as const },
    { name: '2-D multiplier 1, dilation 2', x: [1, 7, 7, 2], k: [3, 3, 2, 1], dilations: [2, 2], padding: 'valid' as const },
    { name: '1-D multiplier 3', x: [2, 8, 2], k: [3, 2, 3], padding: 'same' as const },
  ];
  CASES.forEach((c, i) => {
    const r = c.k.length - 2;
    const [C, M] = c.k.slice(r);
    const seed = 500 + 10 * i;
    const x = values(c.x, seed);
    const w = values(c.k, seed + 1);
    const strides = c.strides ?? Array.from({ length: r }, () => 1);
    const dilations = c.dilations ?? Array.from({ length: r }, () => 1);
    const pads = c.x.slice(1, -1).flatMap((n, j) => tfPad(c.padding, n, c.k[j], strides[j], dilations[j]));
    const g: Geometry = { strides: lift(strides, 1), dilations: lift(dilations, 1), pads: [...Array.from({ length: 2 * (3 - r) }, () => 0), ...pads], groups: C };
    // the same data as a grouped conv kernel [..., 1, C·M]
    const x5: Arr = { shape: lift5(c.x), data: x.data };
    const w5: Arr = { shape: [...lift(c.k.slice(0, r), 1), 1, C * M], data: w.data };
    const y = convRef(x5, w5, g);
    const yShape = [c.x[0], ...y.shape.slice(4 - r, 4), C * M];
    const G = values(y.shape, seed + 3);
    const { dx, dw } = convGradRef(x5, w5, G, g);
    for (const backend of BACKENDS) {
      it(`${c.name} on ${backend}`, async () => {
        await T.setBackend(backend);
        const [xt, wt, Gt] = [tensorOf(x), tensorOf(w), tensorOf(G, yShape)];
        const opts = { strides, dilations, padding: c.padding };
        expectClose(T.depthwiseConv(xt, wt, null, opts), y, yShape, 'y');
        const [gx, gw] = T.grads((p: T.Tensor, q: T.Tensor) => T.sum(T.mul(T.depthwiseConv(p, q, null, opts), Gt)))([xt, wt]);
        expectClose(gx, dx, c.x, 'dx');
        expectClose(gw, dw, c.k, 'dw');
      });
    }
  });
});

describe('convTranspose against direct loops', () => {
  // [x, kernel [k, out, in], strides, padding, outputPadding, dilations, expected output spatial size]
  const CASES = [
    { name: '2-D valid, stride 2', x: [2, 3, 4, 3], k: [3, 3, 2, 3], strides: [2, 2], padding: 'valid' as const, out: [7, 9] },
    { name: '2-D same, stride 2', x: [1, 3, 3, 2], k: [3, 3, 4, 2], strides: [2, 2], padding: 'same' as const, out: [6, 6] },
    { name: '2-D same, stride 2, outputPadding 1, even kernel', x: [1, 3, 4, 2], k: [4, 2, 3, 2], strides: [2, 2], padding: 'same' as const, outputPadding: [1, 1], out: [5, 7] },
    { name: '2-D valid, dilation 2', x: [1, 4, 3, 2], k: [2, 3, 2, 2], dilations: [2, 2], padding: 'valid' as const, out: [6, 7] },
    { name: '2-D valid, stride 3 > kernel 2', x: [1, 3, 2, 2], k: [2, 2, 3, 2], strides: [3, 3], padding: 'valid' as const, out: [9, 6] },
    { name: '1-D same, stride 2', x: [2, 5, 3], k: [3, 2, 3], strides: [2], padding: 'same' as const, out: [10] },
    { name: '3-D valid, strides [1, 2, 2]', x: [1, 2, 3, 2, 2], k: [2, 2, 3, 3, 2], strides: [1, 2, 2], padding: 'valid' as const, out: [3, 6, 5] },
  ];
  CASES.forEach((c, i) => {
    const r = c.k.length - 2;
    const [O] = c.k.slice(r);
    const seed = 700 + 10 * i;
    const x = values(c.x, seed);
    const w = values(c.k, seed + 1);
    const strides = c.strides ?? Array.from({ length: r }, () => 1);
    const dilations = c.dilations ?? Array.from({ length: r }, () => 1);
    // the forward conv taking the output (size out) to the input: TensorFlow's padding for it
    const pads = c.out.flatMap((o, j) => {
      const kEff = (c.k[j] - 1) * dilations[j] + 1;
      const total = Math.max(0, (c.x[1 + j] - 1) * strides[j] + kEff - o);
      return c.padding === 'valid' ? [0, total] : [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
    const g: Geometry = { strides: lift(strides, 1), dilations: lift(dilations, 1), pads: [...Array.from({ length: 2 * (3 - r) }, () => 0), ...pads], groups: 1 };
    const outShape5 = [c.x[0], ...lift(c.out, 1), O];
    const yShape = [c.x[0], ...c.out, O];
    const G = values(outShape5, seed + 3);
    const { y, dx, dw } = convTransposeRef({ shape: lift5(c.x), data: x.data }, { shape: [...lift(c.k.slice(0, r), 1), ...c.k.slice(r)], data: w.data }, outShape5, g, G);
    for (const backend of BACKENDS) {
      it(`${c.name} on ${backend}`, async () => {
        await T.setBackend(backend);
        const [xt, wt, Gt] = [tensorOf(x), tensorOf(w), tensorOf(G, yShape)];
        const opts = { strides, dilations, padding: c.padding, outputPadding: c.outputPadding };
        expectClose(T.convTranspose(xt, wt, opts), y, yShape, 'y');
        const [gx, gw] = T.grads((p: T.Tensor, q: T.Tensor) => T.sum(T.mul(T.convTranspose(p, q, opts), Gt)))([xt, wt]);
        expectClose(gx, dx, c.x, 'dx');
        expectClose(gw, dw, c.k, 'dw');
      });
    }
  });
});

describe('maxPooling and averagePooling against direct loops', () => {
  const CASES = [
    { x: [2, 6, 7, 3], pool: [2, 2], padding: 'valid' as const },
    { x: [2, 5, 7, 2], pool: [3, 2], strides: [2, 2], padding: 'same' as const },
    { x: [1, 7, 5, 2], pool: [3, 3], strides: [1, 2], padding: 'same' as const },
    { x: [2, 9, 3], pool: [2], padding: 'valid' as const },
    { x: [2, 7, 2], pool: [3], strides: [2], padding: 'same' as const },
    { x: [1, 4, 5, 3, 2], pool: [2, 2, 2], padding: 'valid' as const },
    { x: [1, 3, 5, 4, 2], pool: [2, 3, 2], strides: [2, 2, 1], padding: 'same' as const },
  ];
  for (const mode of ['max', 'avg'] as const) {
    CASES.forEach((c, i) => {
      const r = c.pool.length;
      const seed = 900 + 10 * i;
      const x = values(c.x, seed);
      const strides = c.strides ?? c.pool;
      const pads = c.x.slice(1, -1).flatMap((n, j) => tfPad(c.padding, n, c.pool[j], strides[j], 1));
      const x5 = { shape: lift5(c.x), data: x.data };
      const probe = poolRef(x5, mode, lift(c.pool, 1), lift(strides, 1), [...Array.from({ length: 2 * (3 - r) }, () => 0), ...pads]);
      const G = values(probe.y.shape, seed + 3);
      const { y, dx } = poolRef(x5, mode, lift(c.pool, 1), lift(strides, 1), [...Array.from({ length: 2 * (3 - r) }, () => 0), ...pads], G);
      const yShape = [c.x[0], ...y.shape.slice(4 - r, 4), c.x[c.x.length - 1]];
      const op = mode === 'max' ? T.maxPooling : T.averagePooling;
      for (const backend of BACKENDS) {
        it(`${mode} ${r}-D pool ${c.pool} strides ${strides} ${c.padding} on ${backend}`, async () => {
          await T.setBackend(backend);
          const [xt, Gt] = [tensorOf(x), tensorOf(G, yShape)];
          const before = T.memory().numTensors;
          const opts = { poolSize: c.pool, strides, padding: c.padding };
          const out = op(xt, opts);
          expectClose(out, y, yShape, 'y');
          const [gx] = T.grads((p: T.Tensor) => T.sum(T.mul(op(p, opts), Gt)))([xt]);
          expectClose(gx, dx, c.x, 'dx');
          T.dispose([out, gx]);
          expect(T.memory().numTensors).toBe(before);
        });
      }
    });
  }
});

describe('bad input', () => {
  it('names what it expected and what it got', () => {
    const x = T.zeros([2, 5, 5, 3]);
    expect(() => T.conv(x, T.zeros([3, 3, 4, 2]))).toThrow(/kernel \[3, 3, 4, 2\] expects 4 input channels, x \[2, 5, 5, 3\] has 3/);
    expect(() => T.conv(T.zeros([2, 25]), T.zeros([3, 3, 3, 2]))).toThrow(/expects x \[batch, height, width, channels\] \(rank 4\) for a 2-D kernel, got \[2, 25\]/);
    expect(() => T.conv(x, T.zeros([7, 3, 3, 2]))).toThrow(/height of the input \(5\) is smaller than the kernel \(7\)/);
    expect(() => T.conv(x, T.zeros([3, 3, 3, 2]), null, { groups: 2 })).toThrow(/groups \(2\) must divide the input channels \(3\)/);
    expect(() => T.conv(x, T.zeros([3, 3, 3, 2]), null, { padding: 'full' as never })).toThrow(/padding must be one of 'valid', 'same', got "full"/);
    expect(() => T.conv(x, T.zeros([3, 3, 3, 2]), null, { padding: 'causal' })).toThrow(/padding must be one of 'valid', 'same', got "causal"/);
    expect(() => T.conv(x, T.zeros([3, 3, 3, 2]), null, { strides: 0 })).toThrow(/strides must be a positive integer/);
    expect(() => T.maxPooling(x, { poolSize: 6 })).toThrow(/pool window \(6\) is larger than the input/);
    expect(() => T.convTranspose(x, T.zeros([3, 3, 2, 3]), { strides: 2, outputPadding: 2 })).toThrow(/outputPadding must be smaller than the stride/);
  });
});
