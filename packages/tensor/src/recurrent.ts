// A recurrent layer's time loop as one op: LSTM, GRU (Keras's reset_after form) and simple RNN
// cells run over a whole sequence, forward and back through time, as two neurona kernels. A
// per-step composition of tfjs ops records dozens of tiny kernels per step on the gradient tape;
// here the tape sees one node. The input projection `x·W + b` of every step is done before, as
// one product (`dense`); inside, each step is one product `h·U` for all gates and one pass over
// the gates. The portable bodies below chain the backend's kernels step by step (any backend);
// @neurona/kernels gives cpu and wasm bodies that run the loop on its GEMM and one-pass loops.
//
// Layout (Keras's): gates in the kernel's columns are i, f, c, o (LSTM) and z, r, h (GRU).
// Processing step s reads time t = s, or t = T-1-s with goBackwards; outputs are in processing
// order (Keras returns the reversed sequence when going backwards). A masked step (mask 0 at time
// t) keeps the states of the step before.
import * as tfc from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, once, runNeuronaKernel, kernelChain, type KernelChain } from './kernel-util';

/** tfjs kernel name of `recurrentSequence`. */
export const RECURRENT = 'NeuronaRecurrent';

/** tfjs kernel name of its gradient (back through time). */
export const RECURRENT_GRAD = 'NeuronaRecurrentGrad';

/** The cells `recurrentSequence` runs. */
export type RecurrentCell = 'lstm' | 'gru' | 'simple';

/** The activations it fuses (their derivatives are taken from their outputs). */
export type RecurrentActivation = 'tanh' | 'sigmoid' | 'relu' | 'linear' | 'hard_sigmoid';

const ACTIVATIONS: readonly RecurrentActivation[] = ['tanh', 'sigmoid', 'relu', 'linear', 'hard_sigmoid'];

/** The fused form of an activation name, or null when `recurrentSequence` cannot fuse it. */
export function recurrentActivation(name: string | null | undefined): RecurrentActivation | null {
  if (name === null || name === undefined) return 'linear';
  return (ACTIVATIONS as readonly string[]).includes(name) ? (name as RecurrentActivation) : null;
}

/**
 * Attributes of both kernels. Every input is always given (tfjs saves inputs by name for the
 * gradient): without a mask or a recurrent bias, a one-value placeholder stands in and `masked` /
 * `recurrentBias` say so; `c0` is `h0` again for the cells without a cell state.
 */
export interface RecurrentAttrs extends NamedAttrMap {
  cell: RecurrentCell;
  activation: RecurrentActivation;
  recurrentActivation: RecurrentActivation;
  goBackwards: boolean;
  masked: boolean;
  recurrentBias: boolean;
}

/** Gates per cell: columns of the kernels and of `xw` are `gates · units`. */
export function gateCount(cell: RecurrentCell): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** Width of the per-step cache the forward kernel keeps for the backward one, in units. */
export function cacheWidth(cell: RecurrentCell): number {
  // lstm: i, f, g, o; gru: z, r, hh and the recurrent part of the candidate (h·U_h + b_h)
  return cell === 'lstm' ? 4 : cell === 'gru' ? 4 : 0;
}

// ---- portable bodies: the backend's kernels, step by step ------------------------------------

function act(c: KernelChain, a: RecurrentActivation, x: TensorInfo): TensorInfo {
  switch (a) {
    case 'tanh':
      return c.k('Tanh', { x });
    case 'sigmoid':
      return c.k('Sigmoid', { x });
    case 'relu':
      return c.k('Relu', { x });
    case 'hard_sigmoid':
      // relu6(x + 3) / 6, as Keras 3
      return c.k('Multiply', { a: c.k('Relu6', { x: c.k('Add', { a: x, b: c.scalar(3, 'float32') }) }), b: c.scalar(1 / 6, 'float32') });
    default:
      return x;
  }
}

/** dy · f'(x) from y = f(x). */
function actGrad(c: KernelChain, a: RecurrentActivation, y: TensorInfo, dy: TensorInfo): TensorInfo {
  switch (a) {
    case 'tanh':
      return c.k('Multiply', { a: dy, b: c.k('Sub', { a: c.scalar(1, 'float32'), b: c.k('Multiply', { a: y, b: y }) }) });
    case 'sigmoid':
      return c.k('Multiply', { a: dy, b: c.k('Multiply', { a: y, b: c.k('Sub', { a: c.scalar(1, 'float32'), b: y }) }) });
    case 'relu':
      return c.k('Multiply', { a: dy, b: c.k('Step', { x: y }, { alpha: 0 }) });
    case 'hard_sigmoid': {
      const inside = c.k('Multiply', { a: c.k('Step', { x: y }, { alpha: 0 }), b: c.k('Step', { x: c.k('Sub', { a: c.scalar(1, 'float32'), b: y }) }, { alpha: 0 }) });
      return c.k('Multiply', { a: dy, b: c.k('Multiply', { a: inside, b: c.scalar(1 / 6, 'float32') }) });
    }
    default:
      return dy;
  }
}

/** `x[:, t, from : from + width]` as `[B, width]`. */
function stepSlice(c: KernelChain, x: TensorInfo, t: number, from: number, width: number): TensorInfo {
  const [b] = x.shape;
  const s = c.k('Slice', { x }, { begin: [0, t, from], size: [b, 1, width] });
  return c.k('Reshape', { x: s }, { shape: [b, width] });
}

/** Columns `[from, from + width)` of a `[B, n]` matrix. */
function cols(c: KernelChain, x: TensorInfo, from: number, width: number): TensorInfo {
  return c.k('Slice', { x }, { begin: [0, from], size: [x.shape[0], width] });
}

function matmul(c: KernelChain, a: TensorInfo, b: TensorInfo, transposeA = false, transposeB = false): TensorInfo {
  const a3 = c.k('Reshape', { x: a }, { shape: [1, ...a.shape] });
  const b3 = c.k('Reshape', { x: b }, { shape: [1, ...b.shape] });
  const out = c.k('BatchMatMul', { a: a3, b: b3 }, { transposeA, transposeB });
  const m = transposeA ? a.shape[1] : a.shape[0];
  const n = transposeB ? b.shape[0] : b.shape[1];
  return c.k('Reshape', { x: out }, { shape: [m, n] });
}

/** `keep · next + (1 − keep) · prev` for a `[B, 1]` 0/1 mask column. */
function blend(c: KernelChain, keep: TensorInfo | null, next: TensorInfo, prev: TensorInfo): TensorInfo {
  if (!keep) return next;
  return c.k('Add', { a: prev, b: c.k('Multiply', { a: keep, b: c.k('Sub', { a: next, b: prev }) }) });
}

function stack(c: KernelChain, steps: TensorInfo[]): TensorInfo {
  return c.k('Pack', steps as unknown as Record<string, TensorInfo>, { axis: 1 });
}

function concat(c: KernelChain, parts: TensorInfo[]): TensorInfo {
  return c.k('Concat', parts as unknown as Record<string, TensorInfo>, { axis: 1 });
}

/**
 * Defines the kernels and the gradient, once, on first need: by the op, or by
 * `@neurona/tensor/kernel-api` for the kernel packages that give them faster bodies. Until then
 * nothing refers to them, so a bundle without this op leaves them out.
 */
export const defineRecurrentKernels = /* @__PURE__ */ once(() => {
  defineKernel(RECURRENT, (inputs, backend, attrs) => {
    const { cell, activation: a, recurrentActivation: ra, goBackwards, masked, recurrentBias } = attrs as RecurrentAttrs;
    const { xw, u, h0, c0 } = inputs;
    const mask = masked ? inputs.mask : null;
    const rb = recurrentBias ? inputs.rb : null;
    const [, steps] = xw.shape;
    const units = u.shape[0];
    const c = kernelChain(backend);
    let h = h0;
    let cs = c0;
    const hs: TensorInfo[] = [];
    const css: TensorInfo[] = [];
    const caches: TensorInfo[] = [];
    for (let s = 0; s < steps; s++) {
      const t = goBackwards ? steps - 1 - s : s;
      const keep = mask ? c.k('Reshape', { x: c.k('Slice', { x: mask }, { begin: [0, t], size: [mask.shape[0], 1] }) }, { shape: [mask.shape[0], 1] }) : null;
      const x = stepSlice(c, xw, t, 0, xw.shape[2]);
      if (cell === 'lstm') {
        const z = c.k('Add', { a: x, b: matmul(c, h, u) });
        const i = act(c, ra, cols(c, z, 0, units));
        const f = act(c, ra, cols(c, z, units, units));
        const g = act(c, a, cols(c, z, 2 * units, units));
        const o = act(c, ra, cols(c, z, 3 * units, units));
        const cNew = c.k('Add', { a: c.k('Multiply', { a: f, b: cs }), b: c.k('Multiply', { a: i, b: g }) });
        const hNew = c.k('Multiply', { a: o, b: act(c, a, cNew) });
        cs = blend(c, keep, cNew, cs);
        h = blend(c, keep, hNew, h);
        css.push(cs);
        caches.push(concat(c, [i, f, g, o]));
      } else if (cell === 'gru') {
        let hu = matmul(c, h, u);
        if (rb) hu = c.k('Add', { a: hu, b: rb });
        const z = act(c, ra, c.k('Add', { a: cols(c, x, 0, units), b: cols(c, hu, 0, units) }));
        const r = act(c, ra, c.k('Add', { a: cols(c, x, units, units), b: cols(c, hu, units, units) }));
        const uh = cols(c, hu, 2 * units, units);
        const hh = act(c, a, c.k('Add', { a: cols(c, x, 2 * units, units), b: c.k('Multiply', { a: r, b: uh }) }));
        // z·h + (1 − z)·hh = hh + z·(h − hh)
        const hNew = c.k('Add', { a: hh, b: c.k('Multiply', { a: z, b: c.k('Sub', { a: h, b: hh }) }) });
        h = blend(c, keep, hNew, h);
        caches.push(concat(c, [z, r, hh, uh]));
      } else {
        const hNew = act(c, a, c.k('Add', { a: x, b: matmul(c, h, u) }));
        h = blend(c, keep, hNew, h);
      }
      hs.push(h);
    }
    const outs = [stack(c, hs)];
    if (cell === 'lstm') outs.push(stack(c, css));
    if (cell !== 'simple') outs.push(stack(c, caches));
    c.release(outs);
    return outs as unknown as TensorInfo;
  });

  defineKernel(RECURRENT_GRAD, (inputs, backend, attrs) => {
    const { cell, activation: a, recurrentActivation: ra, goBackwards, masked, recurrentBias } = attrs as RecurrentAttrs;
    const { dhs, dcs, u, h0, c0, hs, cs, cache } = inputs;
    const mask = masked ? inputs.mask : null;
    const rb = recurrentBias ? inputs.rb : null;
    const [batch, steps, units] = hs.shape;
    const c = kernelChain(backend);
    const one = c.scalar(1, 'float32');
    let dh: TensorInfo = c.k('ZerosLike', { x: h0 });
    let dc: TensorInfo | null = cell === 'lstm' ? c.k('ZerosLike', { x: h0 }) : null;
    let du: TensorInfo = c.k('ZerosLike', { x: u });
    let drb: TensorInfo | null = rb ? c.k('ZerosLike', { x: rb }) : null;
    const dxw: TensorInfo[] = Array.from<TensorInfo>({ length: steps });
    for (let s = steps - 1; s >= 0; s--) {
      const t = goBackwards ? steps - 1 - s : s;
      const keep = mask ? c.k('Reshape', { x: c.k('Slice', { x: mask }, { begin: [0, t], size: [batch, 1] }) }, { shape: [batch, 1] }) : null;
      const dhIn = c.k('Add', { a: dh, b: stepSlice(c, dhs, s, 0, units) });
      const hPrev = s > 0 ? stepSlice(c, hs, s - 1, 0, units) : h0;
      let dz: TensorInfo;
      // what reaches h_{s-1} directly (not through U), and the part through U
      let dhDirect: TensorInfo | null = null;
      let dhu: TensorInfo;
      if (cell === 'lstm') {
        const g4 = stepSlice(c, cache, s, 0, 4 * units);
        const [i, f, g, o] = [0, 1, 2, 3].map((k) => cols(c, g4, k * units, units));
        const cNow = stepSlice(c, cs, s, 0, units);
        const cPrev = s > 0 ? stepSlice(c, cs, s - 1, 0, units) : c0;
        const dcIn = c.k('Add', { a: dc as TensorInfo, b: stepSlice(c, dcs, s, 0, units) });
        const actC = act(c, a, cNow);
        const dO = c.k('Multiply', { a: dhIn, b: actC });
        const dcAll = c.k('Add', { a: dcIn, b: actGrad(c, a, actC, c.k('Multiply', { a: dhIn, b: o })) });
        const dzi = actGrad(c, ra, i, c.k('Multiply', { a: dcAll, b: g }));
        const dzf = actGrad(c, ra, f, c.k('Multiply', { a: dcAll, b: cPrev }));
        const dzg = actGrad(c, a, g, c.k('Multiply', { a: dcAll, b: i }));
        const dzo = actGrad(c, ra, o, dO);
        dz = concat(c, [dzi, dzf, dzg, dzo]);
        dhu = dz;
        const dcNext = c.k('Multiply', { a: dcAll, b: f });
        dc = keep ? blend(c, keep, dcNext, dcIn) : dcNext;
      } else if (cell === 'gru') {
        const g4 = stepSlice(c, cache, s, 0, 4 * units);
        const [z, r, hh, uh] = [0, 1, 2, 3].map((k) => cols(c, g4, k * units, units));
        const dzGate = c.k('Multiply', { a: dhIn, b: c.k('Sub', { a: hPrev, b: hh }) });
        const dhh = c.k('Multiply', { a: dhIn, b: c.k('Sub', { a: one, b: z }) });
        const dah = actGrad(c, a, hh, dhh);
        const duh = c.k('Multiply', { a: dah, b: r });
        const dar = actGrad(c, ra, r, c.k('Multiply', { a: dah, b: uh }));
        const daz = actGrad(c, ra, z, dzGate);
        dz = concat(c, [daz, dar, dah]);
        dhu = concat(c, [daz, dar, duh]);
        dhDirect = c.k('Multiply', { a: dhIn, b: z });
      } else {
        const hNow = stepSlice(c, hs, s, 0, units);
        dz = actGrad(c, a, hNow, dhIn);
        dhu = dz;
      }
      if (keep) {
        const same = dhu === dz;
        dz = c.k('Multiply', { a: dz, b: keep });
        dhu = same ? dz : c.k('Multiply', { a: dhu, b: keep });
        if (dhDirect) dhDirect = c.k('Multiply', { a: dhDirect, b: keep });
      }
      dxw[t] = dz;
      du = c.k('Add', { a: du, b: matmul(c, hPrev, dhu, true, false) });
      if (drb) drb = c.k('Add', { a: drb, b: c.k('Sum', { x: dhu }, { axis: [0], keepDims: false }) });
      let dhNext = matmul(c, dhu, u, false, true);
      if (dhDirect) dhNext = c.k('Add', { a: dhNext, b: dhDirect });
      // a masked step hands its gradient on to the step before untouched
      if (keep) dhNext = c.k('Add', { a: dhNext, b: c.k('Multiply', { a: dhIn, b: c.k('Sub', { a: one, b: keep }) }) });
      dh = dhNext;
    }
    const outs = [stack(c, dxw), du, dh];
    if (cell === 'lstm') outs.push(dc as TensorInfo);
    if (drb) outs.push(drb);
    c.release(outs);
    return outs as unknown as TensorInfo;
  });

  tfc.registerGradient({
    kernelName: RECURRENT,
    inputsToSave: ['u', 'h0', 'c0', 'rb', 'mask'],
    outputsToSave: [true, true, true],
    gradFunc: (dys, saved, attrs) => {
      const at = attrs as RecurrentAttrs;
      const ds = Array.isArray(dys) ? dys : [dys];
      const [u, h0, c0, rb, mask, ...outs] = saved;
      const lstm = at.cell === 'lstm';
      const hs = outs[0];
      const cs = lstm ? outs[1] : hs;
      const cache = at.cell === 'simple' ? hs : outs[lstm ? 2 : 1];
      const inputs: tfc.NamedTensorMap = { dhs: ds[0], dcs: lstm ? ds[1] : ds[0], u, h0, c0, hs, cs, cache, rb, mask };
      // every input's gradient comes out of one pass back through time
      const g = runNeuronaKernel(RECURRENT_GRAD, inputs, attrs) as unknown as Tensor[];
      const [dxw, du, dh0] = g;
      const dc0 = lstm ? g[3] : null;
      const drb = at.recurrentBias ? g[lstm ? 4 : 3] : null;
      return {
        xw: () => dxw,
        u: () => du,
        h0: () => dh0,
        // without a cell state c0 is h0 again: its share is nothing
        c0: () => dc0 ?? tfc.zerosLike(c0),
        rb: () => drb ?? tfc.zerosLike(rb),
        mask: () => tfc.zerosLike(mask),
      };
    },
  });
});

/** What `recurrentSequence` returns: the states after every step (processing order). */
export interface RecurrentStates {
  /** `[batch, steps, units]`: h after each step (a masked step keeps the one before). */
  h: Tensor;
  /** LSTM: `[batch, steps, units]`, the cell state c after each step. */
  c?: Tensor;
}

/** Options of `recurrentSequence`. */
export interface RecurrentSequenceOptions {
  /** The cell's activation (candidate and output); default tanh. */
  activation?: RecurrentActivation;
  /** The gates' activation; default sigmoid. Unused by the simple cell. */
  recurrentActivation?: RecurrentActivation;
  /** Process time steps last to first (outputs stay in processing order, as Keras). */
  goBackwards?: boolean;
  /** `[batch, steps]`: 1 for a real step, 0 for padding (the states carry over). */
  mask?: Tensor;
  /** GRU: the recurrent bias `[3·units]` added to `h·U` (Keras's `reset_after` bias row 1). */
  recurrentBias?: Tensor;
}

/**
 * Run a recurrent cell over a sequence as one differentiable op. `xw` `[batch, steps, gates·units]`
 * is the input projection `x·W + b` of every step (one `dense` over all steps), `recurrentKernel`
 * `[units, gates·units]`, `initial` the states `[h0]` (`[h0, c0]` for LSTM), `[batch, units]`.
 * Gates in Keras's order: i, f, c, o (LSTM); z, r, h (GRU, `reset_after`). Returns the states after
 * every step, in processing order. Gradients flow to `xw`, the kernel, the initial states and the
 * recurrent bias.
 */
export function recurrentSequence(
  cell: RecurrentCell,
  xw: Tensor,
  recurrentKernel: Tensor,
  initial: Tensor[],
  options: RecurrentSequenceOptions = {},
): RecurrentStates {
  defineRecurrentKernels();
  const gates = gateCount(cell);
  const units = recurrentKernel.shape[0];
  if (xw.rank !== 3 || recurrentKernel.rank !== 2 || recurrentKernel.shape[1] !== gates * units || xw.shape[2] !== gates * units) {
    throw new Error(
      `recurrentSequence(${cell}): expects xw [batch, steps, ${gates}·units] and a recurrent kernel [units, ${gates}·units], ` +
        `got xw [${xw.shape.join(', ')}] and kernel [${recurrentKernel.shape.join(', ')}]`,
    );
  }
  const [batch, steps] = xw.shape;
  if (steps === 0) throw new Error(`recurrentSequence(${cell}): the sequence has no time steps`);
  const need = cell === 'lstm' ? 2 : 1;
  if (initial.length !== need || initial.some((s) => s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== units)) {
    throw new Error(
      `recurrentSequence(${cell}): expects ${need} initial state(s) [${batch}, ${units}], got ${initial.map((s) => `[${s.shape.join(', ')}]`).join(', ') || 'none'}`,
    );
  }
  const { mask, recurrentBias } = options;
  if (mask && (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps)) {
    throw new Error(`recurrentSequence(${cell}): the mask must be [${batch}, ${steps}], got [${mask.shape.join(', ')}]`);
  }
  if (recurrentBias && (cell !== 'gru' || recurrentBias.rank !== 1 || recurrentBias.shape[0] !== gates * units)) {
    throw new Error(`recurrentSequence(${cell}): a recurrent bias is a GRU's [${3 * units}], got [${recurrentBias.shape.join(', ')}]`);
  }
  const attrs = {
    cell,
    activation: options.activation ?? 'tanh',
    recurrentActivation: options.recurrentActivation ?? 'sigmoid',
    goBackwards: options.goBackwards ?? false,
  };
  // placeholders for absent inputs (see RecurrentAttrs)
  const made: Tensor[] = [];
  const placeholder = () => {
    const t = tfc.zeros([1]);
    made.push(t);
    return t;
  };
  const m = mask ? (mask.dtype === 'float32' ? mask : tfc.cast(mask, 'float32')) : placeholder();
  if (mask && m !== mask) made.push(m);
  const inputs: tfc.NamedTensorMap = {
    xw,
    u: recurrentKernel,
    h0: initial[0],
    c0: cell === 'lstm' ? initial[1] : initial[0],
    rb: recurrentBias ?? placeholder(),
    mask: m,
  };
  const out = runNeuronaKernel(RECURRENT, inputs, { ...attrs, masked: !!mask, recurrentBias: !!recurrentBias }) as unknown as Tensor[];
  for (const t of made) t.dispose();
  const list = Array.isArray(out) ? out : [out];
  // the caches are for the gradient only; the tape keeps its own reference
  if (cell === 'lstm') {
    list[2].dispose();
    return { h: list[0], c: list[1] };
  }
  if (cell === 'gru') list[1].dispose();
  return { h: list[0] };
}
