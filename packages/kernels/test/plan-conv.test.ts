import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import {
  PlanMemory,
  planColumnSums,
  planConvFold,
  planConvPatches,
  planPool,
  planPoolGrad,
  planProductSplitK,
  planReluGrad,
  useFastKernels,
  type PlanConvGeometry,
  type PoolWindow,
} from '../src/index';

// The compiled convnet step's loops on a plan's memory (plan-conv.ts) against naive float64
// loops written from the definitions: im2col as a convolution (TensorFlow's 'same' padding,
// strides 2, a channel stride wider than the channels read), col2im as its transpose, max and
// average pooling and their gradients, relu's derivative, column sums, the split-k product.

const rng = T.createRng(5);
const rand = (n: number) => Float64Array.from({ length: n }, () => rng() * 2 - 1);

function reserve(floats: number): PlanMemory {
  const mem = PlanMemory.reserve(floats);
  if (!mem) throw new Error('fast kernels not active');
  return mem;
}

describe.runIf(T.getBackendInfo().capabilities.memory === 'wasm-heap' || T.getBackendInfo().capabilities.memory === 'host')('plan conv loops on PlanMemory', () => {
  beforeAll(() => {
    useFastKernels(true);
  });

  it("im2col · W is the convolution ('same', strides 2, channel stride 8 reading 3 channels); col2im is its transpose", () => {
    const n = 2;
    const g: PlanConvGeometry = { H: 7, W: 6, C: 8, cin: 3, KH: 3, KW: 2, sh: 2, sw: 2, ph: 1, pw: 0, OH: 4, OW: 3, O: 5 };
    // TensorFlow's 'same': OH = ceil(7/2) = 4, total pad (4−1)·2 + 3 − 7 = 2 (1 before); OW = 3, total 0
    const K = g.KH * g.KW * g.cin, ld = 24, cells = n * g.OH * g.OW;
    const x = rand(n * g.H * g.W * g.C);
    const w = rand(K * g.O);
    const mem = reserve(8192);
    const X = mem.start, P = X + 1024, DX = P + 2048;
    let h = mem.heap();
    h.set(Float32Array.from(x), X);
    planConvPatches(mem, g, n, X, P, ld);
    h = mem.heap();
    for (let b = 0; b < n; b++) for (let oh = 0; oh < g.OH; oh++) for (let ow = 0; ow < g.OW; ow++) for (let o = 0; o < g.O; o++) {
      let ref = 0, got = 0;
      const m = (b * g.OH + oh) * g.OW + ow;
      for (let i = 0; i < g.KH; i++) for (let j = 0; j < g.KW; j++) for (let c = 0; c < g.cin; c++) {
        const k = (i * g.KW + j) * g.cin + c;
        const ih = oh * g.sh - g.ph + i, iw = ow * g.sw - g.pw + j;
        if (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W) ref += x[((b * g.H + ih) * g.W + iw) * g.C + c] * w[k * g.O + o];
        got += h[P + m * ld + k] * w[k * g.O + o];
      }
      expect(got).toBeCloseTo(ref, 5);
    }
    // col2im: Σ over cells of rows into dx equals the transpose of im2col: <im2col(x), R> = <x, col2im(R)>
    const r = rand(cells * ld);
    h.set(Float32Array.from(r), P);
    h.fill(5, DX, DX + n * g.H * g.W * g.C); // planConvFold zeroes dx first
    planConvFold(mem, g, n, P, ld, DX);
    h = mem.heap();
    h.set(Float32Array.from(x), X);
    const P2 = DX + 1024;
    planConvPatches(mem, g, n, X, P2, ld);
    h = mem.heap();
    let lhs = 0, rhs = 0;
    for (let m = 0; m < cells; m++) for (let k = 0; k < K; k++) lhs += h[P2 + m * ld + k] * r[m * ld + k];
    for (let i = 0; i < n * g.H * g.W * g.C; i++) rhs += x[i] * h[DX + i];
    expect(rhs).toBeCloseTo(lhs, 3);
    // channels past cin get nothing back
    for (let i = 0; i < n * g.H * g.W; i++) for (let c = g.cin; c < g.C; c++) expect(h[DX + i * g.C + c]).toBe(0);
    mem.release();
  });

  it('max and average pooling and their gradients (SIMD for max with 8 channels, JS loops for 3)', () => {
    for (const [C, max, padded] of [[8, true, false], [3, true, true], [8, false, true]] as const) {
      const n = 2;
      const w: PoolWindow = padded
        ? { N: n, H: 5, W: 5, C, OH: 3, OW: 3, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 } // 'same': odd cell after
        : { N: n, H: 6, W: 5, C, OH: 3, OW: 2, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 };
      const x = rand(n * w.H * w.W * C);
      const g = rand(n * w.OH * w.OW * C);
      const mem = reserve(4096);
      const X = mem.start, Y = X + 512, G = Y + 512, DX = G + 512;
      mem.heap().set(Float32Array.from(x), X);
      mem.heap().set(Float32Array.from(g), G);
      planPool(mem, w, X, Y, max);
      mem.heap().fill(9, DX, DX + x.length);
      planPoolGrad(mem, w, { x: X, y: Y, g: G, dx: DX }, max);
      const h = mem.heap();
      const dx = new Float64Array(x.length);
      for (let b = 0; b < n; b++) for (let oh = 0; oh < w.OH; oh++) for (let ow = 0; ow < w.OW; ow++) for (let c = 0; c < C; c++) {
        const cellsIn: number[] = [];
        for (let i = 0; i < w.kh; i++) for (let j = 0; j < w.kw; j++) {
          const ih = oh * w.sh - w.ph + i, iw = ow * w.sw - w.pw + j;
          if (ih < w.H && iw < w.W) cellsIn.push(((b * w.H + ih) * w.W + iw) * C + c);
        }
        const o = ((b * w.OH + oh) * w.OW + ow) * C + c;
        const vals = cellsIn.map((i) => Math.fround(x[i]));
        const ref = max ? Math.max(...vals) : vals.reduce((s, v) => s + v, 0) / vals.length;
        expect(h[Y + o]).toBeCloseTo(ref, 6);
        if (max) dx[cellsIn[vals.indexOf(Math.max(...vals))]] += Math.fround(g[o]);
        else for (const i of cellsIn) dx[i] += Math.fround(g[o]) / cellsIn.length;
      }
      for (let i = 0; i < x.length; i++) expect(h[DX + i]).toBeCloseTo(dx[i], 6);
      mem.release();
    }
  });

  it("relu's derivative in place, column sums, and the split-k product Aᵀ·B (a sum long enough to split over the threads)", () => {
    const rows = 30000, cols = 16, K = 9;
    const g = rand(rows * cols), y = rand(rows * cols), a = rand(rows * 16), b = rand(rows * cols);
    const mem = reserve(4 * rows * 16 + 1024);
    const G = mem.start, Y = G + rows * 16, S = Y + rows * 16, A = S + 32, B = A + rows * 16 + 8, C = B + rows * 16;
    let h = mem.heap();
    h.set(Float32Array.from(g), G);
    h.set(Float32Array.from(y), Y);
    h.set(Float32Array.from(a), A);
    h.set(Float32Array.from(b), B);
    planReluGrad(mem, G, Y, G, rows * cols);
    planColumnSums(mem, Y, rows, cols, S);
    planProductSplitK(mem, A, 16, B, cols, C, cols, K, cols, rows);
    h = mem.heap();
    let wrong = 0;
    for (let i = 0; i < rows * cols; i++) if (h[G + i] !== (Math.fround(y[i]) > 0 ? Math.fround(g[i]) : 0)) wrong++;
    expect(wrong).toBe(0);
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += Math.fround(y[r * cols + j]);
      expect(Math.abs(h[S + j] - s)).toBeLessThan(1e-4 * (1 + Math.abs(s)));
    }
    for (let i = 0; i < K; i++) for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += Math.fround(a[r * 16 + i]) * Math.fround(b[r * cols + j]);
      expect(Math.abs(h[C + i * cols + j] - s)).toBeLessThan(2e-4 * (1 + Math.abs(s)));
    }
    mem.release();
  });
  it("relu's derivative and the bias gradient on the pooled gradient (the compiled step's fusion) equal them on the pooling gradient", () => {
    // conv relu → max pool: [y > 0] on the pooled gradient then the pooling gradient is bit-identical
    // to the pooling gradient then [x > 0], and the pooled gradient's column sums are the bias
    // gradient (Σ over the conv's cells), against a float64 sum; windows 2×2 stride 2 (cells
    // past the last window, as 11 → 5), overlapping 3×3 stride 1, and 'same' padding
    const windows: Omit<PoolWindow, 'N'>[] = [
      { H: 11, W: 11, C: 16, OH: 5, OW: 5, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 },
      { H: 6, W: 7, C: 8, OH: 4, OW: 5, kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0 },
      { H: 5, W: 5, C: 8, OH: 3, OW: 3, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 },
    ];
    for (const win of windows) {
      const n = 4;
      const w: PoolWindow = { N: n, ...win };
      // relu outputs: about half exact zeros, so some windows' maximum is 0
      const x = Float32Array.from(rand(n * w.H * w.W * w.C), (v) => Math.max(v - 0.3, 0));
      const g = Float32Array.from(rand(n * w.OH * w.OW * w.C));
      const inLen = x.length, outLen = g.length;
      const mem = reserve(8 * inLen + 4 * outLen + 1024);
      const X = mem.start, Y = X + inLen + 16, G = Y + outLen + 16, G2 = G + outLen + 16, DX = G2 + outLen + 16, DX2 = DX + inLen + 16, S = DX2 + inLen + 16, S2 = S + 32;
      let h = mem.heap();
      h.set(x, X);
      h.set(g, G);
      h.set(g, G2);
      planPool(mem, w, X, Y, true);
      // unfused: pooling gradient, relu's derivative on it, its column sums
      planPoolGrad(mem, w, { x: X, y: Y, g: G, dx: DX }, true);
      planReluGrad(mem, DX, X, DX, inLen);
      planColumnSums(mem, DX, n * w.H * w.W, w.C, S);
      // fused: relu's derivative on the pooled gradient, its column sums, then the pooling gradient
      planReluGrad(mem, G2, Y, G2, outLen);
      planColumnSums(mem, G2, n * w.OH * w.OW, w.C, S2);
      planPoolGrad(mem, w, { x: X, y: Y, g: G2, dx: DX2 }, true);
      h = mem.heap();
      expect(h.subarray(DX2, DX2 + inLen)).toEqual(h.subarray(DX, DX + inLen));
      let zeroWindows = 0;
      for (let i = 0; i < outLen; i++) if (h[Y + i] === 0) zeroWindows++;
      expect(zeroWindows).toBeGreaterThan(0);
      for (let c = 0; c < w.C; c++) {
        let ref = 0;
        for (let i = 0; i < n * w.H * w.W; i++) ref += h[DX + i * w.C + c];
        expect(Math.abs(h[S2 + c] - ref)).toBeLessThan(1e-5 * (1 + Math.abs(ref)));
        expect(Math.abs(h[S + c] - ref)).toBeLessThan(1e-5 * (1 + Math.abs(ref)));
      }
      mem.release();
    }
  });
});
