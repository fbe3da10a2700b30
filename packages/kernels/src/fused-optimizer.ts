// One optimizer step over a flat parameter buffer: every variable's clipping, weight decay and
// SGD/Adam/RMSprop/Adagrad update in one pass over the plan's memory, where the tape path runs 5–12 tfjs kernels
// per variable. The arithmetic is Keras 3's (as @neurona/optimizers implements it): gradients
// clipped first, then `w ← w·(1 − weightDecay·lr)`, then the update.
// On the GEMM engine's memory (a compiled plan's), plain SGD and Adam/AdamW without clipping run
// as the engine's SIMD loops (optimizer-module.ts) in float32, each segment's last length mod 4
// floats here: the same updates within float32 rounding of the JavaScript loops'.
import type { GemmEngine } from './gemm-engine';
import { state } from './state';

/** A variable's place in the flat buffers (float offsets relative to `params`/`grads`/each slot). */
export interface FlatSegment {
  offset: number;
  length: number;
}

/** What one fused optimizer step does, and where its buffers are. */
export interface FusedOptimizerStep {
  kind: 'sgd' | 'adam' | 'rmsprop' | 'adagrad';
  /**
   * Offsets (floats) of the parameters, their gradients and the per-parameter state, in the
   * optimizer's slot order: SGD [momentum] when momentum > 0; Adam [m, v] (+ vHat with amsgrad);
   * RMSprop [velocity] (+ momentum when momentum > 0, + average gradient when centered);
   * Adagrad [accumulator].
   */
  params: number;
  grads: number;
  slots: number[];
  /** The variables: per-variable norm clipping works segment by segment; everything else is one flat loop. */
  segments: FlatSegment[];
  learningRate: number;
  /** The step number, counting from 1 (Adam's bias correction). */
  step: number;
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Adam: keep the running maximum of v (slot 3) and divide by it. */
  amsgrad?: boolean;
  /** RMSprop: decay of the squared-gradient average. */
  rho?: number;
  /** RMSprop: divide by the estimated variance `E[g²] − E[g]²`. */
  centered?: boolean;
  weightDecay?: number | null;
  clipNorm?: number | null;
  clipValue?: number | null;
  globalClipNorm?: number | null;
}

const f = Math.fround;

/** Segments shorter than this stay in JavaScript (a dispatch into the module costs more). */
const SIMD_MIN = 64;
const bitsF = new Float32Array(1);
const bitsI = new Int32Array(bitsF.buffer);
/** The bits of float32 `x`, to pass it among a module's i32 parameters. */
const bits = (x: number) => ((bitsF[0] = x), bitsI[0]);

/**
 * The GEMM engine, when `h` views its memory and the segment is long enough for its SIMD loops
 * (optimizer-module.ts); the loops then run on floats [i0, i0 + 4·groups) and return the groups.
 */
function simdEngine(h: Float32Array, length: number): GemmEngine | null {
  const e = state().engine;
  return e && length >= SIMD_MIN && h.buffer === e.memory.buffer ? e : null;
}

/** The factor each segment's gradients are multiplied by (norm clipping), or null for none. */
function clipScales(h: Float32Array, s: FusedOptimizerStep): Float64Array | null {
  const norms = (seg: FlatSegment) => {
    let q = 0;
    for (let i = s.grads + seg.offset, e = i + seg.length; i < e; i++) q += h[i] * h[i];
    return q;
  };
  if (s.clipNorm != null) {
    const c = s.clipNorm;
    return Float64Array.from(s.segments, (seg) => c / Math.max(Math.sqrt(norms(seg)), c));
  }
  if (s.globalClipNorm != null) {
    const c = s.globalClipNorm;
    const norm = Math.sqrt(s.segments.reduce((a, seg) => a + norms(seg), 0));
    // an Inf/NaN norm gives NaN updates, as Keras (and the tape path)
    const scale = c / Math.max(norm, c) + (norm - norm);
    return Float64Array.from(s.segments, () => scale);
  }
  return null;
}

/** `g` clipped to [-c, c] (c null: unchanged). */
const clamp = (g: number, c: number | null) => (c === null ? g : g < -c ? -c : g > c ? c : g);

/** Run one step in place on `h` (the plan's memory). Padding between variables must hold zeros. */
export function fusedOptimizerStep(h: Float32Array, s: FusedOptimizerStep): void {
  const scales = clipScales(h, s);
  const cv = s.clipValue ?? null;
  const lr = f(s.learningRate);
  const decay = s.weightDecay != null && s.weightDecay > 0 ? f(1 - s.weightDecay * s.learningRate) : 1;
  const P = s.params, G = s.grads;
  // one tight loop per variable and case: no per-element branch on settings (a third of the
  // time of the first version, which branched on momentum and clipping per element)
  for (let k = 0; k < s.segments.length; k++) {
    const seg = s.segments[k];
    const sc = scales ? scales[k] : 1;
    const i0 = seg.offset, i1 = seg.offset + seg.length;
    if (s.kind === 'sgd') {
      const mu = f(s.momentum ?? 0);
      if (mu === 0 && cv === null) {
        const step = sc * lr;
        const e = simdEngine(h, seg.length);
        if (e) {
          const groups = seg.length >> 2;
          e.onePass('sgd', [(P + i0) * 4, (G + i0) * 4, bits(step), bits(decay)], 0, groups, 16, 3 * seg.length);
          for (let i = i0 + 4 * groups; i < i1; i++) h[P + i] = h[P + i] * decay - h[G + i] * step;
          continue;
        }
        if (decay === 1) for (let i = i0; i < i1; i++) h[P + i] -= h[G + i] * step;
        else for (let i = i0; i < i1; i++) h[P + i] = h[P + i] * decay - h[G + i] * step;
        continue;
      }
      const M = s.slots[0];
      const nesterov = s.nesterov === true;
      for (let i = i0; i < i1; i++) {
        const g = clamp(h[G + i] * sc, cv);
        const w = h[P + i] * decay;
        if (mu === 0) {
          h[P + i] = w - g * lr;
        } else {
          const step = f(g * lr);
          const m = f(h[M + i] * mu - step);
          h[M + i] = m;
          h[P + i] = w + (nesterov ? m * mu - step : m);
        }
      }
      continue;
    }
    if (s.kind === 'rmsprop') {
      rmspropSegment(h, s, i0, i1, sc, cv, decay, lr);
      continue;
    }
    if (s.kind === 'adagrad') {
      const A = s.slots[0], eps = f(s.epsilon ?? 1e-7);
      for (let i = i0; i < i1; i++) {
        const g = f(clamp(h[G + i] * sc, cv));
        const a = f(h[A + i] + g * g);
        h[A + i] = a;
        h[P + i] = f(h[P + i] * decay) - f(lr * g) / Math.sqrt(a + eps);
      }
      continue;
    }
    const b1 = s.beta1 ?? 0.9, b2 = s.beta2 ?? 0.999;
    const alpha = f((s.learningRate * Math.sqrt(1 - b2 ** s.step)) / (1 - b1 ** s.step));
    const c1 = f(1 - b1), c2 = f(1 - b2), eps = f(s.epsilon ?? 1e-7);
    const [M, V, VH] = s.slots;
    const e = s.amsgrad !== true && cv === null && sc === 1 ? simdEngine(h, seg.length) : null;
    if (e) {
      const groups = seg.length >> 2;
      e.onePass('adam', [(P + i0) * 4, (G + i0) * 4, (M + i0) * 4, (V + i0) * 4, bits(alpha), bits(c1), bits(c2), bits(eps), bits(decay)], 0, groups, 16, 4 * seg.length);
      for (let i = i0 + 4 * groups; i < i1; i++) {
        const g = h[G + i];
        const m = f(h[M + i] + (g - h[M + i]) * c1);
        const v = f(h[V + i] + (g * g - h[V + i]) * c2);
        h[M + i] = m;
        h[V + i] = v;
        h[P + i] = f(h[P + i] * decay) - (m * alpha) / (Math.sqrt(v) + eps);
      }
      continue;
    }
    if (s.amsgrad === true) {
      for (let i = i0; i < i1; i++) {
        const g = f(clamp(h[G + i] * sc, cv));
        const m = h[M + i] + (g - h[M + i]) * c1;
        const v = h[V + i] + (g * g - h[V + i]) * c2;
        h[M + i] = m;
        h[V + i] = v;
        // the running maximum of the (stored, float32) second moment
        const vh = Math.max(h[VH + i], h[V + i]);
        h[VH + i] = vh;
        h[P + i] = f(h[P + i] * decay) - (h[M + i] * alpha) / (Math.sqrt(h[VH + i]) + eps);
      }
      continue;
    }
    if (cv === null && sc === 1 && decay === 1) {
      // the stored (float32) moments, rounded once rather than read back
      for (let i = i0; i < i1; i++) {
        const g = h[G + i];
        const m0 = h[M + i], v0 = h[V + i];
        const m = f(m0 + (g - m0) * c1);
        const v = f(v0 + (g * g - v0) * c2);
        h[M + i] = m;
        h[V + i] = v;
        h[P + i] -= (m * alpha) / (Math.sqrt(v) + eps);
      }
      continue;
    }
    for (let i = i0; i < i1; i++) {
      const g = f(clamp(h[G + i] * sc, cv));
      const m = h[M + i] + (g - h[M + i]) * c1;
      const v = h[V + i] + (g * g - h[V + i]) * c2;
      h[M + i] = m;
      h[V + i] = v;
      h[P + i] = f(h[P + i] * decay) - (h[M + i] * alpha) / (Math.sqrt(h[V + i]) + eps);
    }
  }
}

/**
 * RMSprop on `[i0, i1)` as Keras 3: `vel ← ρ·vel + (1−ρ)·g²`; centered: `avg ← ρ·avg + (1−ρ)·g`
 * and the denominator `vel − avg² + ε`, else `vel + ε`; `inc = lr·g/√denominator`; with momentum
 * `mom ← μ·mom + inc` and `w ← w − mom`, else `w ← w − inc`.
 */
function rmspropSegment(h: Float32Array, s: FusedOptimizerStep, i0: number, i1: number, sc: number, cv: number | null, decay: number, lr: number): void {
  const P = s.params, G = s.grads;
  const rho = f(s.rho ?? 0.9), c = f(1 - (s.rho ?? 0.9)), eps = f(s.epsilon ?? 1e-7);
  const mu = f(s.momentum ?? 0);
  const V = s.slots[0];
  const MO = mu > 0 ? s.slots[1] : -1;
  const AV = s.centered === true ? s.slots[mu > 0 ? 2 : 1] : -1;
  for (let i = i0; i < i1; i++) {
    const g = f(clamp(h[G + i] * sc, cv));
    const vel = f(f(rho * h[V + i]) + f(c * f(g * g)));
    h[V + i] = vel;
    let den: number;
    if (AV >= 0) {
      const avg = f(f(rho * h[AV + i]) + f(c * g));
      h[AV + i] = avg;
      den = f(f(vel - f(avg * avg)) + eps);
    } else {
      den = f(vel + eps);
    }
    const inc = f(f(lr * g) / f(Math.sqrt(den)));
    const w = f(h[P + i] * decay);
    if (MO >= 0) {
      const mom = f(f(mu * h[MO + i]) + inc);
      h[MO + i] = mom;
      h[P + i] = w - mom;
    } else {
      h[P + i] = w - inc;
    }
  }
}
