// The one-pass loops of a compiled dense training step, on row-major blocks of a Float32Array
// (the plan's memory): activations applied in place, their derivatives taken from the saved
// outputs, the loss and its gradient with respect to the last layer's pre-activation in one pass,
// and the bias gradient. Each works on `rows × cols` values with row stride `ld` (columns past
// `cols` are padding the products need; these loops never touch them, except relu's derivative
// on the GEMM engine's memory, see plan-simd.ts).
import { columnSumsOnEngine, reluGradOnEngine } from './plan-simd';

/** The activations a compiled dense step fuses. */
export type PlanActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';

/** Apply `act` in place to `rows × cols` values at `off` (row stride `ld`). */
export function activateRows(h: Float32Array, off: number, rows: number, cols: number, ld: number, act: PlanActivation): void {
  if (act === 'linear') return;
  for (let r = 0; r < rows; r++) {
    const o = off + r * ld;
    if (act === 'relu') {
      for (let j = 0; j < cols; j++) if (!(h[o + j] > 0)) h[o + j] = 0;
    } else if (act === 'sigmoid') {
      for (let j = 0; j < cols; j++) h[o + j] = 1 / (1 + Math.exp(-h[o + j]));
    } else if (act === 'tanh') {
      for (let j = 0; j < cols; j++) h[o + j] = Math.tanh(h[o + j]);
    } else {
      let max = -Infinity;
      for (let j = 0; j < cols; j++) if (h[o + j] > max) max = h[o + j];
      let s = 0;
      for (let j = 0; j < cols; j++) {
        const e = Math.exp(h[o + j] - max);
        h[o + j] = e;
        s += e;
      }
      for (let j = 0; j < cols; j++) h[o + j] /= s;
    }
  }
}

/**
 * `d ← d ⊙ act'(a)` in place: the gradient with respect to a layer's pre-activation from the
 * gradient `d` (at `dOff`) with respect to its output `a = act(z)` (at `aOff`, saved by the
 * forward pass). Softmax uses its Jacobian: `a ⊙ (d − Σ d·a)` per row.
 */
export function activationGradRows(h: Float32Array, dOff: number, ldd: number, aOff: number, lda: number, rows: number, cols: number, act: PlanActivation): void {
  if (act === 'linear') return;
  // on a plan's memory, relu's as one SIMD pass over whole rows: the padding columns follow the
  // same rule there (a plan's padding holds zeros in a and d alike)
  if (act === 'relu' && ldd === lda && reluGradOnEngine(h, dOff, aOff, rows, ldd)) return;
  for (let r = 0; r < rows; r++) {
    const d = dOff + r * ldd;
    const a = aOff + r * lda;
    if (act === 'relu') {
      for (let j = 0; j < cols; j++) if (!(h[a + j] > 0)) h[d + j] = 0;
    } else if (act === 'sigmoid') {
      for (let j = 0; j < cols; j++) h[d + j] *= h[a + j] * (1 - h[a + j]);
    } else if (act === 'tanh') {
      for (let j = 0; j < cols; j++) h[d + j] *= 1 - h[a + j] * h[a + j];
    } else {
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += h[d + j] * h[a + j];
      for (let j = 0; j < cols; j++) h[d + j] = h[a + j] * (h[d + j] - dot);
    }
  }
}

/** Where a loss reads its targets and per-sample weights, and how it scales its gradient. */
export interface LossRows {
  /** Offset of the targets: `rows × cols` values (row stride `ldy`), or `rows` class indices when `sparse`. */
  y: number;
  ldy: number;
  sparse: boolean;
  /** Offset of `rows` per-sample weights, or -1 for none. */
  weights: number;
  /** Factor of the gradient (1/rows for a mean over the batch, 1 for a sum). */
  scale: number;
}

/** One row's exps (softmaxCrossEntropyRows), reused between calls. */
let expRow = new Float64Array(16);

/**
 * Softmax cross-entropy on logits `z` (`rows × cols` at `zOff`, row stride `ld`): writes the
 * probabilities over `z`, the gradient with respect to the logits (`w·(p·Σy − y)·scale`, or
 * `w·(p − onehot)·scale` for class indices) at `dOff` (row stride `ld`), and returns the weighted
 * sum of the per-sample losses `−Σ y·log p` (a class index out of range reads as no target).
 */
export function softmaxCrossEntropyRows(h: Float32Array, zOff: number, dOff: number, ld: number, rows: number, cols: number, t: LossRows): number {
  let total = 0;
  if (expRow.length < cols) expRow = new Float64Array(cols);
  const e = expRow;
  for (let r = 0; r < rows; r++) {
    const z = zOff + r * ld;
    const d = dOff + r * ld;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) if (h[z + j] > max) max = h[z + j];
    // each exp once (p = e/s, as exp(z − log s)): half the exps of a 10-class batch of 512
    let s = 0;
    for (let j = 0; j < cols; j++) s += e[j] = Math.exp(h[z + j] - max);
    const logS = Math.log(s) + max;
    const w = t.weights < 0 ? 1 : h[t.weights + r];
    const g = w * t.scale;
    let loss = 0;
    if (t.sparse) {
      const k = Math.round(h[t.y + r]);
      // an index out of range is an all-zero one-hot row: no loss and no gradient
      const gk = k >= 0 && k < cols ? g : 0;
      for (let j = 0; j < cols; j++) {
        const p = e[j] / s;
        h[d + j] = gk * (j === k ? p - 1 : p);
        if (j === k) loss = logS - h[z + j];
        h[z + j] = p;
      }
    } else {
      const y = t.y + r * t.ldy;
      let sy = 0;
      for (let j = 0; j < cols; j++) sy += h[y + j];
      for (let j = 0; j < cols; j++) {
        const yj = h[y + j];
        if (yj !== 0) loss += yj * (logS - h[z + j]);
        const p = e[j] / s;
        h[d + j] = g * (p * sy - yj);
        h[z + j] = p;
      }
    }
    total += w * loss;
  }
  return total;
}

/**
 * Mean squared error of outputs `o` (`rows × cols` at `oOff`, row stride `ld`) against the
 * targets: writes the gradient with respect to `o` (`2·w·(o − y)/cols·scale`) at `dOff` and
 * returns the weighted sum of the per-sample losses `mean_j (o − y)²`.
 */
export function meanSquaredErrorRows(h: Float32Array, oOff: number, dOff: number, ld: number, rows: number, cols: number, t: LossRows): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const o = oOff + r * ld;
    const d = dOff + r * ld;
    const y = t.y + r * t.ldy;
    const w = t.weights < 0 ? 1 : h[t.weights + r];
    const g = (2 * w * t.scale) / cols;
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const e = h[o + j] - h[y + j];
      s += e * e;
      h[d + j] = g * e;
    }
    total += (w * s) / cols;
  }
  return total;
}

/** `dst[j] = Σ_r src[r, j]` for `cols` columns (the bias gradient). */
export function columnSums(h: Float32Array, src: number, ld: number, rows: number, cols: number, dst: number): void {
  if (columnSumsOnEngine(h, src, ld, rows, cols, dst)) return;
  h.fill(0, dst, dst + cols);
  for (let r = 0; r < rows; r++) {
    const o = src + r * ld;
    for (let j = 0; j < cols; j++) h[dst + j] += h[o + j];
  }
}

/**
 * Sigmoid cross-entropy on logits `z` (`rows × cols` at `zOff`, row stride `ld`), Keras's binary
 * cross-entropy on a sigmoid output (which carries its logits) or with `fromLogits`: writes the
 * gradient with respect to the logits (`w·(σ(z) − y)/cols·scale`) at `dOff`, replaces the logits
 * by the probabilities `σ(z)` when `probabilities` is true (the model's output is the sigmoid),
 * and returns the weighted sum of the per-sample losses `mean_j softplus(z) − z·y` (the stable form).
 */
export function sigmoidCrossEntropyRows(h: Float32Array, zOff: number, dOff: number, ld: number, rows: number, cols: number, t: LossRows, probabilities: boolean): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const z = zOff + r * ld;
    const d = dOff + r * ld;
    const y = t.y + r * t.ldy;
    const w = t.weights < 0 ? 1 : h[t.weights + r];
    const g = (w * t.scale) / cols;
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const x = h[z + j];
      const yj = h[y + j];
      // softplus(x) = max(x, 0) + log1p(exp(−|x|))
      s += Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) - x * yj;
      const p = 1 / (1 + Math.exp(-x));
      h[d + j] = g * (p - yj);
      if (probabilities) h[z + j] = p;
    }
    total += (w * s) / cols;
  }
  return total;
}

/** `a ← a ⊙ m` on `rows × cols` values (row strides `lda`, `ldm`): a dropout mask, forward or backward. */
export function multiplyRows(h: Float32Array, aOff: number, lda: number, mOff: number, ldm: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const a = aOff + r * lda;
    const m = mOff + r * ldm;
    for (let j = 0; j < cols; j++) h[a + j] *= h[m + j];
  }
}

/** `dst ← src ⊙ m` on `rows × cols` values (all with row stride `ld`): a dropout layer's output. */
export function maskedCopyRows(h: Float32Array, src: number, m: number, dst: number, ld: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * ld;
    for (let j = 0; j < cols; j++) h[dst + o + j] = h[src + o + j] * h[m + o + j];
  }
}
