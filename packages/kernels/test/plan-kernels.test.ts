import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import {
  PlanMemory,
  activateRows,
  activationGradRows,
  columnSums,
  fusedOptimizerStep,
  meanSquaredErrorRows,
  softmaxCrossEntropyRows,
  sigmoidCrossEntropyRows,
  metricRows,
  weightPenalty,
  multiplyRows,
  maskedCopyRows,
  tensorMemory,
  useFastKernels,
  fastKernelsStatus,
  type PlanActivation,
} from '../src/index';

// The building blocks of the compiled training step, against closed forms, central finite
// differences and hand-written float64 references of Keras's update rules.

const rng = T.createRng(7);
const rand = (n: number, s = 1) => Float64Array.from({ length: n }, () => (rng() * 2 - 1) * s);

/** `rows × cols` values in a buffer with row stride `ld` (padding filled with a marker). */
function block(values: Float64Array, rows: number, cols: number, ld: number, off = 3): Float32Array {
  const h = new Float32Array(off + rows * ld + 8).fill(-99);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) h[off + r * ld + j] = values[r * cols + j];
  return h;
}
const at = (h: Float32Array, r: number, j: number, ld: number, off = 3) => h[off + r * ld + j];

const ACT: Record<PlanActivation, (z: number[]) => number[]> = {
  linear: (z) => z,
  relu: (z) => z.map((v) => Math.max(v, 0)),
  sigmoid: (z) => z.map((v) => 1 / (1 + Math.exp(-v))),
  tanh: (z) => z.map(Math.tanh),
  softmax: (z) => {
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  },
};

describe('activateRows and activationGradRows', () => {
  const rows = 3, cols = 5, ld = 8;
  for (const act of ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'] as PlanActivation[]) {
    it(`${act}: values, and the derivative against central finite differences`, () => {
      const z = rand(rows * cols, 2);
      const h = block(z, rows, cols, ld);
      activateRows(h, 3, rows, cols, ld, act);
      for (let r = 0; r < rows; r++) {
        const want = ACT[act](Array.from(z.subarray(r * cols, (r + 1) * cols)));
        for (let j = 0; j < cols; j++) expect(at(h, r, j, ld)).toBeCloseTo(want[j], 6);
        for (let j = cols; j < ld; j++) expect(at(h, r, j, ld)).toBe(-99); // padding untouched
      }
      // d(Σ g·act(z))/dz by finite differences, against activationGradRows(g, act(z))
      // d(Σ g·act(z))/dz by finite differences, against activationGradRows(g, act(z)): the
      // gradient block and the activations in one buffer (the plan's memory)
      const g = rand(rows * cols);
      const gb = block(g, rows, cols, ld, 3);
      const merged = new Float32Array(gb.length + h.length);
      merged.set(gb, 0);
      merged.set(h, gb.length);
      activationGradRows(merged, 3, ld, gb.length + 3, ld, rows, cols, act);
      const eps = 1e-3;
      for (let r = 0; r < rows; r++) {
        const zr = Array.from(z.subarray(r * cols, (r + 1) * cols));
        for (let j = 0; j < cols; j++) {
          if (act === 'relu' && Math.abs(zr[j]) < 2 * eps) continue;
          const f = (dz: number) => {
            const zz = zr.slice();
            zz[j] += dz;
            return ACT[act](zz).reduce((s, v, k) => s + v * g[r * cols + k], 0);
          };
          const want = (f(eps) - f(-eps)) / (2 * eps);
          expect(merged[3 + r * ld + j]).toBeCloseTo(want, 3);
        }
      }
    });
  }
});

describe('loss rows', () => {
  const rows = 4, cols = 6, ld = 8;
  it('softmax cross-entropy: the loss of log-softmax, its gradient by finite differences, weights and sparse labels', () => {
    const z = rand(rows * cols, 3);
    const labels = [0, 5, 2, 2];
    const wts = [1, 0.5, 2, 0];
    const y = new Float64Array(rows * cols);
    labels.forEach((l, r) => (y[r * cols + l] = 1));
    // buffer: logits [rows, ld] at 0, gradient at 64, targets at 128, labels at 160, weights at 170
    const make = () => {
      const h = new Float32Array(256);
      for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
        h[r * ld + j] = z[r * cols + j];
        h[128 + r * cols + j] = y[r * cols + j];
      }
      labels.forEach((l, r) => (h[160 + r] = l));
      wts.forEach((w, r) => (h[170 + r] = w));
      return h;
    };
    const lossOf = (zz: Float64Array) => {
      let s = 0;
      for (let r = 0; r < rows; r++) {
        const row = Array.from(zz.subarray(r * cols, (r + 1) * cols));
        const m = Math.max(...row);
        const lse = Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0)) + m;
        s += wts[r] * (lse - row[labels[r]]);
      }
      return s;
    };
    const dense = make();
    const total = softmaxCrossEntropyRows(dense, 0, 64, ld, rows, cols, { y: 128, ldy: cols, sparse: false, weights: 170, scale: 1 / rows });
    expect(total).toBeCloseTo(lossOf(z), 5);
    const sparse = make();
    const totalSparse = softmaxCrossEntropyRows(sparse, 0, 64, ld, rows, cols, { y: 160, ldy: 1, sparse: true, weights: 170, scale: 1 / rows });
    expect(totalSparse).toBeCloseTo(total, 5);
    const eps = 1e-3;
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
      const zp = Float64Array.from(z), zm = Float64Array.from(z);
      zp[r * cols + j] += eps;
      zm[r * cols + j] -= eps;
      const want = (lossOf(zp) - lossOf(zm)) / (2 * eps) / rows;
      expect(dense[64 + r * ld + j]).toBeCloseTo(want, 4);
      expect(sparse[64 + r * ld + j]).toBeCloseTo(want, 4);
      // the logits became probabilities
      expect(dense[r * ld + j]).toBeCloseTo(ACT.softmax(Array.from(z.subarray(r * cols, (r + 1) * cols)))[j], 6);
    }
  });

  it('mean squared error: mean over the row of (o − y)², gradient 2(o − y)/cols · scale', () => {
    const o = rand(rows * cols), y = rand(rows * cols);
    const h = new Float32Array(256);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
      h[r * ld + j] = o[r * cols + j];
      h[128 + r * cols + j] = y[r * cols + j];
    }
    const total = meanSquaredErrorRows(h, 0, 64, ld, rows, cols, { y: 128, ldy: cols, sparse: false, weights: -1, scale: 0.5 });
    let want = 0;
    for (let i = 0; i < rows * cols; i++) want += (o[i] - y[i]) ** 2 / cols;
    expect(total).toBeCloseTo(want, 5);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) expect(h[64 + r * ld + j]).toBeCloseTo((2 * (o[r * cols + j] - y[r * cols + j]) / cols) * 0.5, 6);
  });

  it('sigmoid cross-entropy: the stable loss on logits, its gradient by finite differences, probabilities written or not', () => {
    const z = rand(rows * cols, 4);
    const y = Float64Array.from({ length: rows * cols }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);
    const wts = [1, 0.5, 2, 0];
    const make = () => {
      const h = new Float32Array(256);
      for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
        h[r * ld + j] = z[r * cols + j];
        h[128 + r * cols + j] = y[r * cols + j];
      }
      wts.forEach((w, r) => (h[170 + r] = w));
      return h;
    };
    // Keras's binary cross-entropy on probabilities σ(z), in float64: −mean_j (y log p + (1 − y) log(1 − p))
    const lossOf = (zz: Float64Array) => {
      let s = 0;
      for (let r = 0; r < rows; r++) {
        let l = 0;
        for (let j = 0; j < cols; j++) {
          const p = 1 / (1 + Math.exp(-zz[r * cols + j]));
          const t = y[r * cols + j];
          l -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
        }
        s += (wts[r] * l) / cols;
      }
      return s;
    };
    const h = make();
    const total = sigmoidCrossEntropyRows(h, 0, 64, ld, rows, cols, { y: 128, ldy: cols, sparse: false, weights: 170, scale: 1 / rows }, true);
    expect(total).toBeCloseTo(lossOf(z), 5);
    const kept = make();
    sigmoidCrossEntropyRows(kept, 0, 64, ld, rows, cols, { y: 128, ldy: cols, sparse: false, weights: 170, scale: 1 / rows }, false);
    const eps = 1e-4;
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
      const zp = Float64Array.from(z), zm = Float64Array.from(z);
      zp[r * cols + j] += eps;
      zm[r * cols + j] -= eps;
      const want = (lossOf(zp) - lossOf(zm)) / (2 * eps) / rows;
      expect(h[64 + r * ld + j]).toBeCloseTo(want, 5);
      expect(kept[64 + r * ld + j]).toBe(h[64 + r * ld + j]);
      expect(h[r * ld + j]).toBeCloseTo(1 / (1 + Math.exp(-z[r * cols + j])), 6);
      expect(kept[r * ld + j]).toBe(Math.fround(z[r * cols + j]));
    }
    // large logits stay finite (softplus form)
    const big = new Float32Array(16);
    big[0] = 200;
    big[1] = -200;
    big[8] = 0;
    big[9] = 1;
    // rows z = 200 with y = 0 and z = −200 with y = 1: 200 each, gradients ±1
    const l = sigmoidCrossEntropyRows(big, 0, 4, 1, 2, 1, { y: 8, ldy: 1, sparse: false, weights: -1, scale: 1 }, true);
    expect(l).toBeCloseTo(400, 4);
    expect([big[4], big[5]]).toEqual([1, -1]);
  });

  it('metricRows: accuracies count hits (first of ties), binary accuracy per row, mse and mae', () => {
    const h = new Float32Array(128);
    // predictions [3, 4] (ld 4) at 0; one-hot targets at 32; class indices at 48; 0/1 targets [3, 2] at 56
    const p = [[0.1, 0.7, 0.1, 0.1], [0.4, 0.4, 0.1, 0.1], [0.2, 0.2, 0.5, 0.1]];
    p.forEach((row, r) => row.forEach((v, j) => (h[r * 4 + j] = v)));
    [1, 1, 3].forEach((c, r) => (h[32 + r * 4 + c] = 1));
    [1, 0, 2].forEach((c, r) => (h[48 + r] = c));
    expect(metricRows(h, 0, 4, 3, 4, { kind: 'categorical_accuracy', y: 32, ldy: 4 })).toBe(1); // row 1: tie → class 0
    expect(metricRows(h, 0, 4, 3, 4, { kind: 'sparse_categorical_accuracy', y: 48, ldy: 1 })).toBe(3);
    [[1, 0], [0, 0], [1, 1]].forEach((row, r) => row.forEach((v, j) => (h[56 + r * 2 + j] = v)));
    // the predictions' first two columns against them: at 0.3 row 0 [0, 1] vs [1, 0], row 1 [1, 1]
    // vs [0, 0], row 2 [0, 0] vs [1, 1] (no hit); at 0.5 row 1 [0, 0] (two) and row 2 (none): 2 / 2
    expect(metricRows(h, 0, 4, 3, 2, { kind: 'binary_accuracy', y: 56, ldy: 2, threshold: 0.3 })).toBe(0);
    expect(metricRows(h, 0, 4, 3, 2, { kind: 'binary_accuracy', y: 56, ldy: 2, threshold: 0.5 })).toBe(1);
    // at 0.15 row 2 is [1, 1] (both hit), row 0 [0, 1] (none): 1
    h[56] = 0;
    expect(metricRows(h, 0, 4, 3, 2, { kind: 'binary_accuracy', y: 56, ldy: 2, threshold: 0.15 })).toBe(1.5);
    let se = 0, ae = 0;
    for (let r = 0; r < 3; r++) {
      let s = 0, a = 0;
      for (let j = 0; j < 4; j++) {
        const e = Math.fround(p[r][j]) - h[32 + r * 4 + j];
        s += e * e;
        a += Math.abs(e);
      }
      se += s / 4;
      ae += a / 4;
    }
    expect(metricRows(h, 0, 4, 3, 4, { kind: 'mean_squared_error', y: 32, ldy: 4 })).toBeCloseTo(se, 6);
    expect(metricRows(h, 0, 4, 3, 4, { kind: 'mean_absolute_error', y: 32, ldy: 4 })).toBeCloseTo(ae, 6);
  });

  it('weightPenalty: l1·Σ|w| + l2·Σw², its gradient by finite differences added to the gradient; none for a frozen weight', () => {
    const w = rand(rows * cols);
    const h = block(w, rows, cols, ld, 0);
    const g = new Float32Array(rows * ld).fill(0.25);
    const buf = new Float32Array(h.length + g.length);
    buf.set(h);
    buf.set(g, h.length);
    const l1 = 0.03, l2 = 0.02;
    const pen = (x: Float64Array) => x.reduce((s, v) => s + l1 * Math.abs(v) + l2 * v * v, 0);
    const v = weightPenalty(buf, { w: 0, g: h.length, rows, cols, ld, l1, l2 });
    expect(v).toBeCloseTo(pen(w), 6);
    const eps = 1e-4;
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
      const i = r * cols + j;
      const wp = Float64Array.from(w), wm = Float64Array.from(w);
      wp[i] += eps;
      wm[i] -= eps;
      expect(buf[h.length + r * ld + j] - 0.25).toBeCloseTo((pen(wp) - pen(wm)) / (2 * eps), 4);
    }
    for (let j = cols; j < ld; j++) expect(buf[h.length + j]).toBe(0.25); // padding untouched
    const frozen = block(w, rows, cols, ld, 0);
    expect(weightPenalty(frozen, { w: 0, g: -1, rows, cols, ld, l1, l2 })).toBeCloseTo(pen(w), 6);
    expect(Array.from(frozen)).toEqual(Array.from(block(w, rows, cols, ld, 0)));
    // at exactly 0 the L1 derivative is the tape's (tfjs Abs: −1 where w ≤ 0)
    const zero = new Float32Array(2);
    weightPenalty(zero, { w: 0, g: 1, rows: 1, cols: 1, ld: 1, l1: 0.5, l2: 0 });
    expect(zero[1]).toBe(-0.5);
  });

  it('multiplyRows and maskedCopyRows: a dropout mask forward and backward, padding untouched', () => {
    const a = rand(rows * cols), m = Float64Array.from({ length: rows * cols }, (_, i) => (i % 3 === 0 ? 0 : 2));
    const h = new Float32Array(3 * rows * ld).fill(-99);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
      h[r * ld + j] = a[r * cols + j];
      h[rows * ld + r * ld + j] = m[r * cols + j];
    }
    maskedCopyRows(h, 0, rows * ld, 2 * rows * ld, ld, rows, cols);
    multiplyRows(h, 0, ld, rows * ld, ld, rows, cols);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        expect(h[r * ld + j]).toBe(Math.fround(a[r * cols + j]) * m[r * cols + j]);
        expect(h[2 * rows * ld + r * ld + j]).toBe(h[r * ld + j]);
      }
      for (let j = cols; j < ld; j++) expect(h[2 * rows * ld + r * ld + j]).toBe(-99);
    }
  });

  it('columnSums: the bias gradient', () => {
    const v = rand(rows * cols);
    const h = block(v, rows, cols, ld);
    const out = new Float32Array(h.length + cols);
    out.set(h);
    columnSums(out, 3, ld, rows, cols, h.length);
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += v[r * cols + j];
      expect(out[h.length + j]).toBeCloseTo(s, 5);
    }
  });
});

describe('fusedOptimizerStep (Keras 3 update rules, float64 references)', () => {
  const n = 20;
  const segs = [{ offset: 0, length: 12 }, { offset: 12, length: 8 }];
  function buffers(slots: number) {
    const w = rand(n), g = rand(n, 3);
    const h = new Float32Array(n * (2 + slots));
    h.set(Float32Array.from(w), 0);
    h.set(Float32Array.from(g), n);
    return { h, w, g };
  }
  const norm = (g: Float64Array, s: { offset: number; length: number }) => Math.hypot(...g.subarray(s.offset, s.offset + s.length));

  it('SGD, momentum and Nesterov over 5 steps, with weight decay and per-variable norm clipping', () => {
    for (const [momentum, nesterov] of [[0, false], [0.9, false], [0.8, true]] as [number, boolean][]) {
      const { h, w, g } = buffers(1);
      const m = new Float64Array(n);
      const lr = 0.1, wd = 0.01, c = 1.5;
      for (let step = 1; step <= 5; step++) {
        fusedOptimizerStep(h, { kind: 'sgd', params: 0, grads: n, slots: [2 * n], segments: segs, learningRate: lr, step, momentum, nesterov, weightDecay: wd, clipNorm: c });
        for (const s of segs) {
          const k = c / Math.max(norm(g, s), c);
          for (let i = s.offset; i < s.offset + s.length; i++) {
            const gi = g[i] * k;
            w[i] *= 1 - wd * lr;
            if (momentum === 0) w[i] -= lr * gi;
            else {
              m[i] = momentum * m[i] - lr * gi;
              w[i] += nesterov ? momentum * m[i] - lr * gi : m[i];
            }
          }
        }
      }
      for (let i = 0; i < n; i++) expect(h[i]).toBeCloseTo(w[i], 5);
    }
  });

  it('Adam over 5 steps, with global norm clipping and value clipping', () => {
    for (const clip of [{ globalClipNorm: 2 }, { clipValue: 0.5 }]) {
      const { h, w, g } = buffers(2);
      const m = new Float64Array(n), v = new Float64Array(n);
      const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
      const gnorm = Math.hypot(...g);
      for (let step = 1; step <= 5; step++) {
        fusedOptimizerStep(h, { kind: 'adam', params: 0, grads: n, slots: [2 * n, 3 * n], segments: segs, learningRate: lr, step, beta1: b1, beta2: b2, epsilon: eps, ...clip });
        const alpha = (lr * Math.sqrt(1 - b2 ** step)) / (1 - b1 ** step);
        for (let i = 0; i < n; i++) {
          const gi = 'globalClipNorm' in clip ? g[i] * (2 / Math.max(gnorm, 2)) : Math.min(Math.max(g[i], -0.5), 0.5);
          m[i] += (gi - m[i]) * (1 - b1);
          v[i] += (gi * gi - v[i]) * (1 - b2);
          w[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + eps);
        }
      }
      for (let i = 0; i < n; i++) {
        expect(h[i]).toBeCloseTo(w[i], 5);
        expect(h[2 * n + i]).toBeCloseTo(m[i], 5);
        expect(h[3 * n + i]).toBeCloseTo(v[i], 5);
      }
    }
  });

  it('RMSprop (plain, momentum, centered) over 5 steps, with weight decay and value clipping', () => {
    for (const [momentum, centered] of [[0, false], [0.9, false], [0, true], [0.5, true]] as [number, boolean][]) {
      const nSlots = 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0);
      const { h, w, g } = buffers(nSlots);
      const slots = Array.from({ length: nSlots }, (_, i) => (2 + i) * n);
      const vel = new Float64Array(n), mom = new Float64Array(n), avg = new Float64Array(n);
      const lr = 0.01, rho = 0.85, eps = 1e-7, wd = 0.02, cv = 1;
      for (let step = 1; step <= 5; step++) {
        fusedOptimizerStep(h, { kind: 'rmsprop', params: 0, grads: n, slots, segments: segs, learningRate: lr, step, rho, momentum, centered, epsilon: eps, weightDecay: wd, clipValue: cv });
        for (let i = 0; i < n; i++) {
          const gi = Math.min(Math.max(g[i], -cv), cv);
          w[i] *= 1 - wd * lr;
          vel[i] = rho * vel[i] + (1 - rho) * gi * gi;
          let den = vel[i] + eps;
          if (centered) {
            avg[i] = rho * avg[i] + (1 - rho) * gi;
            den = vel[i] - avg[i] * avg[i] + eps;
          }
          const inc = (lr * gi) / Math.sqrt(den);
          if (momentum > 0) {
            mom[i] = momentum * mom[i] + inc;
            w[i] -= mom[i];
          } else w[i] -= inc;
        }
      }
      for (let i = 0; i < n; i++) {
        expect(h[i]).toBeCloseTo(w[i], 5);
        expect(h[2 * n + i]).toBeCloseTo(vel[i], 5);
        if (momentum > 0) expect(h[3 * n + i]).toBeCloseTo(mom[i], 5);
        if (centered) expect(h[(momentum > 0 ? 4 : 3) * n + i]).toBeCloseTo(avg[i], 5);
      }
    }
  });

  it('Adagrad over 5 steps from its initial accumulator, with per-variable norm clipping', () => {
    const { h, w, g } = buffers(1);
    const acc = new Float64Array(n).fill(0.1);
    h.fill(0.1, 2 * n, 3 * n);
    const lr = 0.05, eps = 1e-7, c = 2;
    for (let step = 1; step <= 5; step++) {
      fusedOptimizerStep(h, { kind: 'adagrad', params: 0, grads: n, slots: [2 * n], segments: segs, learningRate: lr, step, epsilon: eps, clipNorm: c });
      for (const s of segs) {
        const k = c / Math.max(norm(g, s), c);
        for (let i = s.offset; i < s.offset + s.length; i++) {
          const gi = g[i] * k;
          acc[i] += gi * gi;
          w[i] -= (lr * gi) / Math.sqrt(acc[i] + eps);
        }
      }
    }
    for (let i = 0; i < n; i++) {
      expect(h[i]).toBeCloseTo(w[i], 5);
      expect(h[2 * n + i]).toBeCloseTo(acc[i], 5);
    }
  });

  it('Adam with amsgrad divides by the running maximum of v', () => {
    const { h, w } = buffers(3);
    const m = new Float64Array(n), v = new Float64Array(n), vh = new Float64Array(n);
    const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
    for (let step = 1; step <= 6; step++) {
      // large gradients first, then small ones: v falls and vHat keeps its maximum
      const g = rand(n, step <= 2 ? 5 : 0.1);
      h.set(Float32Array.from(g), n);
      fusedOptimizerStep(h, { kind: 'adam', params: 0, grads: n, slots: [2 * n, 3 * n, 4 * n], segments: segs, learningRate: lr, step, beta1: b1, beta2: b2, epsilon: eps, amsgrad: true });
      const alpha = (lr * Math.sqrt(1 - b2 ** step)) / (1 - b1 ** step);
      for (let i = 0; i < n; i++) {
        const gi = Math.fround(g[i]);
        m[i] += (gi - m[i]) * (1 - b1);
        v[i] += (gi * gi - v[i]) * (1 - b2);
        vh[i] = Math.max(vh[i], v[i]);
        w[i] -= (alpha * m[i]) / (Math.sqrt(vh[i]) + eps);
      }
    }
    for (let i = 0; i < n; i++) {
      expect(h[i]).toBeCloseTo(w[i], 5);
      expect(h[4 * n + i]).toBeCloseTo(vh[i], 5);
      expect(h[4 * n + i]).toBeGreaterThanOrEqual(h[3 * n + i]);
    }
    // somewhere v fell below its maximum, and the update used the maximum
    expect(Array.from({ length: n }, (_, i) => h[4 * n + i] > h[3 * n + i]).some(Boolean)).toBe(true);
  });

  it('an infinite global norm gives NaN updates, as the tape path', () => {
    const { h } = buffers(2);
    h[n] = Infinity;
    fusedOptimizerStep(h, { kind: 'adam', params: 0, grads: n, slots: [2 * n, 3 * n], segments: segs, learningRate: 0.01, step: 1, globalClipNorm: 1 });
    expect(Number.isNaN(h[5])).toBe(true);
  });
});

describe('PlanMemory: products on the GEMM engine memory', () => {
  beforeAll(() => {
    useFastKernels(true);
  });

  it('product (as is and transposed A, bias, relu) and transpose against naive loops; matmul still right above a held region', () => {
    const mem = PlanMemory.reserve(4096);
    expect(mem).not.toBeNull();
    if (!mem) return;
    const M = 6, K = 5, N = 8;
    const a = rand(M * K), b = rand(K * N), bias = rand(N);
    const A = mem.start, B = A + 64, C = B + 64, BIAS = C + 64, AT = BIAS + 16, C2 = AT + 64, TR = C2 + 64;
    let h = mem.heap();
    h.set(Float32Array.from(a), A);
    h.set(Float32Array.from(b), B);
    h.set(Float32Array.from(bias), BIAS);
    for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) h[AT + k * M + i] = a[i * K + k];
    mem.product(false, A, K, B, N, C, N, M, N, K, BIAS, true);
    mem.product(true, AT, M, B, N, C2, N, M, N, K);
    mem.transpose(B, K, N, N, TR, K);
    h = mem.heap();
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
      expect(h[C + i * N + j]).toBeCloseTo(Math.max(s + bias[j], 0), 5);
      expect(h[C2 + i * N + j]).toBeCloseTo(s, 5);
    }
    for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) expect(h[TR + j * K + k]).toBeCloseTo(b[k * N + j], 6);
    // the tensor kernels' scratch lives above the region: a dense product leaves it alone
    const before = Float32Array.from(h.subarray(C, C + M * N));
    const x = T.tensor2d(Float32Array.from(rand(64 * 40)), [64, 40]);
    const w = T.tensor2d(Float32Array.from(rand(40 * 24)), [40, 24]);
    const y = T.matMul(x, w);
    const ref = T.dense(x, w, undefined, 'linear');
    expect(Array.from(ref.dataSync()).every((v, i) => Math.abs(v - y.dataSync()[i]) < 1e-4)).toBe(true);
    expect(Array.from(mem.heap().subarray(C, C + M * N))).toEqual(Array.from(before));
    T.dispose([x, w, y, ref]);
    mem.release();
    expect(() => mem.heap()).toThrow(/after release/);
  });

  it('convolutions (and their gradients) keep their scratch above a held region, with the same values', () => {
    const x = T.variable(T.tensor4d(Float32Array.from(rand(2 * 9 * 9 * 3)), [2, 9, 9, 3]));
    const k = T.variable(T.tensor4d(Float32Array.from(rand(3 * 3 * 3 * 8)), [3, 3, 3, 8]));
    const run = () => T.valueAndGradients(() => T.sum(T.square(T.conv(x, k, undefined, { activation: 'relu' }))) as T.Scalar, [x, k]);
    const free = run();
    const mem = PlanMemory.reserve(1 << 16);
    expect(mem).not.toBeNull();
    if (!mem) return;
    mem.heap().fill(7, mem.start, mem.start + mem.size);
    const held = run();
    expect(held.loss.dataSync()[0]).toBeCloseTo(free.loss.dataSync()[0], 3);
    held.grads.forEach((g, i) => expect(Array.from(g!.dataSync())).toEqual(Array.from(free.grads[i]!.dataSync())));
    expect(mem.heap().subarray(mem.start, mem.start + mem.size).every((v) => v === 7)).toBe(true);
    mem.release();
    T.dispose([x, k, free.loss, held.loss, ...free.grads.filter((g) => g !== null), ...held.grads.filter((g) => g !== null)] as T.Tensor[]);
  });

  it('threaded products: 60 products of varied shapes, back to back on two threads, equal the naive loops', async () => {
    // a plan runs its products back to back: each must see the rows every thread wrote before
    useFastKernels({ threads: 2 });
    for (let i = 0; i < 200 && (fastKernelsStatus().threadsReady ?? 0) < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fastKernelsStatus().threadsReady).toBe(2);
    const mem = PlanMemory.reserve(1 << 20);
    expect(mem).not.toBeNull();
    if (!mem) return;
    const r = T.createRng(3);
    for (let t = 0; t < 60; t++) {
      const M = 4 + Math.floor(r() * 300), K = 8 + Math.floor(r() * 400), N = 8 * (1 + Math.floor(r() * 24));
      const transA = t % 3 === 0;
      const A = mem.start, B = A + (M + 4) * K + 16, C = B + K * N + 16;
      const a = Float32Array.from({ length: M * K }, () => r() - 0.5), b = Float32Array.from({ length: K * N }, () => r() - 0.5);
      const h = mem.heap();
      if (transA) for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) h[A + k * M + i] = a[i * K + k];
      else h.set(a, A);
      h.set(b, B);
      h.fill(Number.NaN, C, C + (M + 4) * N);
      mem.product(transA, A, transA ? M : K, B, N, C, N, M, N, K);
      const out = mem.heap();
      let worst = 0;
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
        const d = Math.abs(out[C + i * N + j] - s);
        worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
      }
      expect(worst).toBeLessThan(1e-3);
    }
    mem.release();
  });

  it('relu derivative and column sums on the engine memory (SIMD loops): the JavaScript loops\' values, odd rows, padding', () => {
    for (const [rows, cols, ld] of [[1, 8, 8], [13, 10, 16], [19, 10, 16], [64, 128, 128], [517, 130, 136]] as const) {
      const mem = PlanMemory.reserve(3 * (rows + 1) * ld + 64);
      expect(mem).not.toBeNull();
      if (!mem) return;
      const D = mem.start, A = D + (rows + 1) * ld, OUT = A + (rows + 1) * ld;
      const d = rand(rows * ld), a = rand(rows * ld);
      let h = mem.heap();
      h.set(Float32Array.from(d), D);
      h.set(Float32Array.from(a), A);
      h[A] = Number.NaN; // NaN in a: zero, as the JavaScript loop's !(a > 0)
      h[A + 1] = 0;
      h.fill(-7, OUT, OUT + ld);
      // the JavaScript loops on a plain copy (not the engine's memory)
      const copy = Float32Array.from(h.subarray(0, OUT + ld));
      activationGradRows(copy, D, ld, A, ld, rows, cols, 'relu');
      columnSums(copy, D, ld, rows, cols, OUT);
      activationGradRows(h, D, ld, A, ld, rows, cols, 'relu');
      columnSums(h, D, ld, rows, cols, OUT);
      h = mem.heap();
      for (let r = 0; r < rows; r++) for (let j = 0; j < ld; j++) {
        const i = D + r * ld + j;
        // every column follows d·[a > 0] on the SIMD loop (from 256 floats on), the padding too;
        // the JavaScript loop (small blocks) leaves the padding
        const want = a[r * ld + j] > 0 && !(r === 0 && j < 2) ? Math.fround(d[r * ld + j]) : 0;
        expect(h[i]).toBe(j < cols || rows * ld < 256 ? copy[i] : want);
        if (j < cols) expect(h[i]).toBe(want);
      }
      for (let j = 0; j < cols; j++) {
        expect(h[OUT + j]).toBe(copy[OUT + j]); // the same float32 sums, row by row
        let s = 0;
        for (let r = 0; r < rows; r++) s += h[D + r * ld + j];
        expect(h[OUT + j]).toBeCloseTo(s, 4);
      }
      for (let j = cols; j < ld; j++) expect(h[OUT + j]).toBe(-7); // nothing written past cols
      mem.release();
    }
  });

  it('tensorMemory reads a float32 tensor in place', () => {
    const t = T.tensor2d([[1, 2], [3, 4]]);
    expect(Array.from(tensorMemory(t) ?? [])).toEqual([1, 2, 3, 4]);
    const i = T.tensor1d([5, 6], 'int32');
    expect(tensorMemory(i)).toBeInstanceOf(Int32Array);
    T.dispose([t, i]);
  });
});
