// Portable bodies of neurona's convolution kernels: chains of the backend's own kernels, so they
// run on every backend (WebGPU gets tfjs's conv shaders). Every kernel works on the internal
// 5-D channels-last form, x [N, D, H, W, C] and filter [KD, KH, KW, C/groups, O]; a 2-D or 1-D
// convolution (D = KD = 1) runs the backend's 2-D kernels on 4-D views of the same data.
// tfjs's kernels take only 'valid'/'same' padding and no dilation in their gradients, so these
// bodies pad explicitly, dilate the filter explicitly where needed, and split groups by channel
// slices. A backend lacking a kernel (tfjs wasm has no Conv2DBackpropFilter and no depthwise
// gradients) gets the same result from strided slices and matrix products. tfjs 4.22's 3-D
// gradient kernels are not used at all: on wasm Conv3DBackpropInputV2 is wrong and
// Conv3DBackpropFilterV2 is wrong with strides, so the 3-D input gradient is a forward Conv3D of
// the upsampled dy with the flipped filter, and the 3-D filter gradient is the sum over taps.
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { callBackendKernel, disposeIntermediate } from './kernel-util';
import { effectiveKernel } from './conv-geometry';

/** Attributes shared by the three convolution kernels. */
export interface ConvGeometryAttrs extends NamedAttrMap {
  /** Strides of the D, H and W axes. */
  strides: number[];
  /** Dilations of the D, H and W axes. */
  dilations: number[];
  /** Explicit padding `[dBefore, dAfter, hBefore, hAfter, wBefore, wAfter]`. */
  pads: number[];
  groups: number;
}

/** A chain of backend kernels whose intermediates are released once the result is made. */
class Chain {
  private readonly made: TensorInfo[] = [];
  constructor(readonly backend: KernelBackend) {}

  k(name: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    const out = callBackendKernel(name, this.backend, inputs as Record<string, TensorInfo>, attrs);
    this.made.push(out);
    return out;
  }

  has(name: string): boolean {
    return tfc.getKernel(name, tfc.getBackend()) !== undefined;
  }

  /** Release everything made except the tensor `result` (or a view of it) holds; returns `result`. */
  done(result: TensorInfo): TensorInfo {
    let kept = false;
    for (const t of this.made) {
      if (!kept && t.dataId === result.dataId) kept = true;
      else disposeIntermediate(this.backend, t);
    }
    return result;
  }
}

/** The same data seen with another shape (a free reshape). */
function view(t: TensorInfo, shape: number[]): TensorInfo {
  return { ...t, shape };
}

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

// tfjs-webgpu 4.22 cannot compile several kernels (PadV2, Slice, StridedSlice...) for tensors of
// rank 5 or more ("cannot index type 'vec5'"): the helpers below touch 5-D tensors only through
// views of rank 3 or 4, one spatial axis at a time.

/** One spatial axis (1..3) of a 5-D shape as [before, axis, after] sizes (a rank-3 view). */
function around(shape: number[], axis: number): number[] {
  return [prod(shape.slice(0, axis)), shape[axis], prod(shape.slice(axis + 1))];
}

/** `t` padded with `value` by `pads` ([before, after] per spatial axis 1..3) of a 5-D tensor. */
function pad5(c: Chain, t: TensorInfo, pads: number[], value = 0): TensorInfo {
  let cur = t;
  for (let axis = 1; axis <= 3; axis++) {
    const [b, a] = [pads[2 * axis - 2], pads[2 * axis - 1]];
    if (b === 0 && a === 0) continue;
    const out = c.k('PadV2', { x: view(cur, around(cur.shape, axis)) }, { paddings: [[0, 0], [b, a], [0, 0]], constantValue: value });
    cur = view(out, cur.shape.map((d, i) => (i === axis ? d + b + a : d)));
  }
  return cur;
}

/** `size` cells from `begin` on each spatial axis (1..3) of a 5-D tensor, every `strides`-th. */
function crop5(c: Chain, t: TensorInfo, begin: number[], size: number[], strides = [1, 1, 1]): TensorInfo {
  let cur = t;
  for (let axis = 1; axis <= 3; axis++) {
    const [b, n, s] = [begin[axis - 1], size[axis - 1], strides[axis - 1]];
    if (b === 0 && n === cur.shape[axis] && s === 1) continue;
    const v = view(cur, around(cur.shape, axis));
    const out =
      s === 1
        ? c.k('Slice', { x: v }, { begin: [0, b, 0], size: [v.shape[0], n, v.shape[2]] })
        : c.k('StridedSlice', { x: v }, {
            begin: [0, b, 0], end: [v.shape[0], b + (n - 1) * s + 1, v.shape[2]], strides: [1, s, 1],
            beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
          });
    cur = view(out, cur.shape.map((d, i) => (i === axis ? n : d)));
  }
  return cur;
}

/** Channels [from, from + count) of the last axis. */
function channels(c: Chain, t: TensorInfo, from: number, count: number): TensorInfo {
  const last = t.shape.length - 1;
  if (from === 0 && count === t.shape[last]) return t;
  const rows = prod(t.shape.slice(0, last));
  const out = c.k('Slice', { x: view(t, [rows, t.shape[last]]) }, { begin: [0, from], size: [rows, count] });
  return view(out, t.shape.map((d, i) => (i === last ? count : d)));
}

function concatLast(c: Chain, parts: TensorInfo[]): TensorInfo {
  if (parts.length === 1) return parts[0];
  const shape = parts[0].shape;
  const last = shape.length - 1;
  const rows = prod(shape.slice(0, last));
  const out = c.k('Concat', parts.map((p) => view(p, [rows, p.shape[last]])), { axis: 1 });
  return view(out, shape.map((d, i) => (i === last ? out.shape[1] : d)));
}

/** The filter with zeros between its taps (`dilations` on its first three axes). */
function dilateFilter(c: Chain, f: TensorInfo, dilations: number[]): TensorInfo {
  let cur = f;
  for (let axis = 0; axis < 3; axis++) {
    const d = dilations[axis];
    const k = cur.shape[axis];
    if (d === 1 || k === 1) continue;
    const pre = prod(cur.shape.slice(0, axis));
    const post = prod(cur.shape.slice(axis + 1));
    const padded = c.k('PadV2', { x: view(cur, [pre, k, 1, post]) }, { paddings: [[0, 0], [0, 0], [0, d - 1], [0, 0]], constantValue: 0 });
    const kEff = effectiveKernel(k, d);
    const cut = c.k('Slice', { x: view(padded, [pre, k * d, post]) }, { begin: [0, 0, 0], size: [pre, kEff, post] });
    cur = view(cut, cur.shape.map((s, i) => (i === axis ? kEff : s)));
  }
  return cur;
}

/** The taps of a dilated filter gradient: every `d`-th cell of its first three axes. */
function undilateFilter(c: Chain, f: TensorInfo, dilations: number[], kernel: number[]): TensorInfo {
  let cur = f;
  for (let axis = 0; axis < 3; axis++) {
    const d = dilations[axis];
    if (d === 1 || kernel[axis] === 1) continue;
    const v = view(cur, [prod(cur.shape.slice(0, axis)), cur.shape[axis], prod(cur.shape.slice(axis + 1))]);
    const out = c.k('StridedSlice', { x: v }, {
      begin: [0, 0, 0], end: v.shape, strides: [1, d, 1], beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
    });
    cur = view(out, cur.shape.map((s, i) => (i === axis ? kernel[axis] : s)));
  }
  return cur;
}

const is2d = (x: TensorInfo, f: TensorInfo, pads: number[]) => x.shape[1] === 1 && f.shape[0] === 1 && pads[0] === 0 && pads[1] === 0;
const sq = (s: number[]) => [s[0], s[2], s[3], s[4]];

/** Depthwise: one input channel per group (the filter is [k, k, k, 1, C·M]). */
const isDepthwise = (groups: number, x: TensorInfo, f: TensorInfo) => groups > 1 && groups === x.shape[4] && f.shape[3] === 1;

/** A 'valid', ungrouped convolution of an already padded x. */
function convValid(c: Chain, x: TensorInfo, f: TensorInfo, strides: number[], dilations: number[], two: boolean, depthwise: boolean): TensorInfo {
  const [N, , , , C] = x.shape;
  if (two) {
    // tfjs's 2-D kernels refuse strides and dilations both above 1: dilate the filter then
    const both = (strides[1] > 1 || strides[2] > 1) && (dilations[1] > 1 || dilations[2] > 1);
    const ff = both ? dilateFilter(c, f, dilations) : f;
    const dil = both ? [1, 1] : [dilations[1], dilations[2]];
    const attrs = { strides: [strides[1], strides[2]], pad: 'valid', dataFormat: 'NHWC', dilations: dil };
    const y = depthwise
      ? c.k('DepthwiseConv2dNative', { x: view(x, sq(x.shape)), filter: view(ff, [ff.shape[1], ff.shape[2], C, ff.shape[4] / C]) }, attrs)
      : c.k('Conv2D', { x: view(x, sq(x.shape)), filter: view(ff, ff.shape.slice(1)) }, attrs);
    return view(y, [N, 1, y.shape[1], y.shape[2], y.shape[3]]);
  }
  const ff = dilateFilter(c, f, dilations);
  return c.k('Conv3D', { x, filter: ff }, { strides, pad: 'valid', dataFormat: 'NDHWC', dilations: [1, 1, 1] });
}

/** y = conv(x, filter) (+ bias) (activation): the portable body of NeuronaConv. */
export function convPortable(inputs: Record<string, TensorInfo>, backend: KernelBackend, attrs: NamedAttrMap): TensorInfo {
  const { strides, dilations, pads, groups, activation, leakyreluAlpha } = attrs as ConvGeometryAttrs & { activation: string; leakyreluAlpha: number };
  const c = new Chain(backend);
  const { filter, bias } = inputs;
  const x = pad5(c, inputs.x, pads);
  const two = is2d(inputs.x, filter, pads);
  const depthwise = two && isDepthwise(groups, x, filter);
  const y0 = groups === 1 || depthwise ? convValid(c, x, filter, strides, dilations, two, depthwise) : convGroups(c, x, filter, strides, dilations, two, groups);
  let y = y0;
  // bias and activation on a 2-D view (tfjs-webgpu broadcasts only up to rank 4)
  const shape = y.shape;
  const O = shape[4];
  if (bias) y = c.k('Add', { a: view(y, [prod(shape) / O, O]), b: bias });
  if (activation !== 'linear') y = c.k(activationKernel(activation), { x: y }, activation === 'leakyrelu' ? { alpha: leakyreluAlpha } : {});
  return view(c.done(y), shape);
}

function activationKernel(activation: string): string {
  const names: Record<string, string> = { relu: 'Relu', relu6: 'Relu6', elu: 'Elu', sigmoid: 'Sigmoid', leakyrelu: 'LeakyRelu' };
  const k = names[activation];
  if (!k) throw new Error(`unknown fused activation ${JSON.stringify(activation)}`);
  return k;
}

function convGroups(c: Chain, x: TensorInfo, filter: TensorInfo, strides: number[], dilations: number[], two: boolean, groups: number): TensorInfo {
  const cg = filter.shape[3];
  const og = filter.shape[4] / groups;
  const parts: TensorInfo[] = [];
  for (let g = 0; g < groups; g++) {
    parts.push(convValid(c, channels(c, x, g * cg, cg), channels(c, filter, g * og, og), strides, dilations, two, false));
  }
  return concatLast(c, parts);
}

/** dx of y = conv(x, filter) given dy: the portable body of NeuronaConvBackpropInput. */
export function convBackpropInputPortable(inputs: Record<string, TensorInfo>, backend: KernelBackend, attrs: NamedAttrMap): TensorInfo {
  const { strides, dilations, pads, groups, inputShape } = attrs as ConvGeometryAttrs & { inputShape: number[] };
  const c = new Chain(backend);
  const { dy, filter } = inputs;
  const [N, D, H, W, C] = inputShape;
  const padded = [N, D + pads[0] + pads[1], H + pads[2] + pads[3], W + pads[4] + pads[5], C];
  const two = padded[1] === 1 && filter.shape[0] === 1;
  // tfjs's 2-D gradient kernels take no dilation: they get the dilated filter
  const f = two ? dilateFilter(c, filter, dilations) : filter;
  const cg = filter.shape[3];
  const og = filter.shape[4] / groups;
  const depthwise = groups > 1 && groups === C && cg === 1;
  let dx: TensorInfo;
  if (two && depthwise && c.has('DepthwiseConv2dNativeBackpropInput')) {
    const out = c.k('DepthwiseConv2dNativeBackpropInput', { dy: view(dy, sq(dy.shape)), filter: view(f, [f.shape[1], f.shape[2], C, og]) }, {
      strides: [strides[1], strides[2]], dilations: [1, 1], pad: 'valid', inputShape: sq(padded),
    });
    dx = view(out, padded);
  } else {
    const parts: TensorInfo[] = [];
    for (let g = 0; g < groups; g++) {
      const dyg = channels(c, dy, g * og, og);
      const fg = channels(c, f, g * og, og);
      const shape = [N, padded[1], padded[2], padded[3], cg];
      if (two) {
        const out = c.k('Conv2DBackpropInput', { dy: view(dyg, sq(dyg.shape)), filter: view(fg, fg.shape.slice(1)) }, {
          strides: [strides[1], strides[2]], pad: 'valid', dataFormat: 'NHWC', inputShape: sq(shape),
        });
        parts.push(view(out, shape));
      } else {
        parts.push(inputGradByConv(c, dyg, fg, strides, dilations, shape));
      }
    }
    dx = concatLast(c, parts);
  }
  if (pads.some((p) => p > 0)) dx = crop5(c, dx, [pads[0], pads[2], pads[4]], [D, H, W]);
  return c.done(dx);
}

/** dfilter of y = conv(x, filter) given dy: the portable body of NeuronaConvBackpropFilter. */
export function convBackpropFilterPortable(inputs: Record<string, TensorInfo>, backend: KernelBackend, attrs: NamedAttrMap): TensorInfo {
  const { strides, dilations, pads, groups, filterShape } = attrs as ConvGeometryAttrs & { filterShape: number[] };
  const c = new Chain(backend);
  const x = pad5(c, inputs.x, pads);
  const { dy } = inputs;
  const [KD, KH, KW, cg, O] = filterShape;
  const og = O / groups;
  const two = x.shape[1] === 1 && KD === 1;
  const dilatedShape = [effectiveKernel(KD, dilations[0]), effectiveKernel(KH, dilations[1]), effectiveKernel(KW, dilations[2]), cg, og];
  const depthwise = groups > 1 && groups === x.shape[4] && cg === 1;
  let df: TensorInfo;
  if (two && depthwise && c.has('DepthwiseConv2dNativeBackpropFilter')) {
    const out = c.k('DepthwiseConv2dNativeBackpropFilter', { x: view(x, sq(x.shape)), dy: view(dy, sq(dy.shape)) }, {
      strides: [strides[1], strides[2]], dilations: [1, 1], pad: 'valid', filterShape: [dilatedShape[1], dilatedShape[2], groups, og],
    });
    df = undilateFilter(c, view(out, [1, dilatedShape[1], dilatedShape[2], 1, O]), dilations, [KD, KH, KW]);
  } else {
    const parts: TensorInfo[] = [];
    for (let g = 0; g < groups; g++) {
      const xg = channels(c, x, g * cg, cg);
      const dyg = channels(c, dy, g * og, og);
      if (two && c.has('Conv2DBackpropFilter')) {
        const out = c.k('Conv2DBackpropFilter', { x: view(xg, sq(xg.shape)), dy: view(dyg, sq(dyg.shape)) }, {
          strides: [strides[1], strides[2]], pad: 'valid', dataFormat: 'NHWC', filterShape: dilatedShape.slice(1),
        });
        parts.push(undilateFilter(c, view(out, dilatedShape), dilations, [KD, KH, KW]));
      } else {
        parts.push(filterByTaps(c, xg, dyg, [KD, KH, KW], strides, dilations));
      }
    }
    df = concatLast(c, parts);
  }
  return c.done(df);
}

/**
 * dx of a 'valid' convolution on an input of `shape` as a forward convolution: dy upsampled by
 * the strides (zeros between cells), padded by the dilated kernel's extent less one (and the
 * cells the forward pass never reached), convolved with the filter flipped in space and with its
 * channel axes swapped.
 */
function inputGradByConv(c: Chain, dy: TensorInfo, filter: TensorInfo, strides: number[], dilations: number[], shape: number[]): TensorInfo {
  let u = dy;
  for (let axis = 1; axis <= 3; axis++) {
    const s = strides[axis - 1];
    const o = u.shape[axis];
    if (s === 1 || o === 1) continue;
    const pre = prod(u.shape.slice(0, axis));
    const post = prod(u.shape.slice(axis + 1));
    const padded = c.k('PadV2', { x: view(u, [pre, o, 1, post]) }, { paddings: [[0, 0], [0, 0], [0, s - 1], [0, 0]], constantValue: 0 });
    const len = (o - 1) * s + 1;
    const cut = c.k('Slice', { x: view(padded, [pre, o * s, post]) }, { begin: [0, 0, 0], size: [pre, len, post] });
    u = view(cut, u.shape.map((d, i) => (i === axis ? len : d)));
  }
  const pads: number[] = [];
  for (let axis = 1; axis <= 3; axis++) {
    const kEff = effectiveKernel(filter.shape[axis - 1], dilations[axis - 1]);
    const tail = shape[axis] - ((dy.shape[axis] - 1) * strides[axis - 1] + kEff);
    pads.push(kEff - 1, kEff - 1 + tail);
  }
  const up = pad5(c, u, pads);
  const [KD, KH, KW, cg, og] = filter.shape;
  const reversed = c.k('Reverse', { x: view(filter, [KD, KH, KW, cg * og]) }, { dims: [0, 1, 2] });
  const swapped = c.k('Transpose', { x: view(reversed, [KD * KH * KW, cg, og]) }, { perm: [0, 2, 1] });
  const flipped = view(swapped, [KD, KH, KW, og, cg]);
  return c.k('Conv3D', { x: up, filter: dilateFilter(c, flipped, dilations) }, { strides: [1, 1, 1], pad: 'valid', dataFormat: 'NDHWC', dilations: [1, 1, 1] });
}

/**
 * The filter gradient as a sum over taps, from kernels every backend has: for each tap, the
 * input cells it meets (a strided slice) times dy, `patchᵀ · dy`.
 */
function filterByTaps(c: Chain, x: TensorInfo, dy: TensorInfo, k: number[], strides: number[], dilations: number[]): TensorInfo {
  const [N, OD, OH, OW, og] = dy.shape;
  const cg = x.shape[4];
  const m = N * OD * OH * OW;
  const dy3 = view(dy, [1, m, og]);
  const taps: TensorInfo[] = [];
  for (let a = 0; a < k[0]; a++) {
    for (let b = 0; b < k[1]; b++) {
      for (let e = 0; e < k[2]; e++) {
        const patch = crop5(c, x, [a * dilations[0], b * dilations[1], e * dilations[2]], [OD, OH, OW], strides);
        const pt = c.k('Transpose', { x: view(patch, [m, cg]) }, { perm: [1, 0] });
        taps.push(c.k('BatchMatMul', { a: view(pt, [1, cg, m]), b: dy3 }, { transposeA: false, transposeB: false }));
      }
    }
  }
  const all = taps.length === 1 ? taps[0] : c.k('Concat', taps, { axis: 0 });
  return view(all, [k[0], k[1], k[2], cg, og]);
}
