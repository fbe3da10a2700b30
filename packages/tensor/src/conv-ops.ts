// The public convolution ops, in Keras's layouts (channels last): `conv` (1-D, 2-D, 3-D, with
// groups and a fused bias and activation), `convTranspose` and `depthwiseConv`. Each lifts its
// operands to the 5-D form of conv.ts (a free reshape) and back.
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { conv5d, convBackpropInput5d, convOutLength, type ConvGeometry } from './conv';
import { axisPadding, convTransposeOutputSize, spatialTuple, transposePadding, effectiveKernel, type ConvPadding } from './conv-geometry';
import type { FusedActivation } from './fused';

/** Options of `conv` and `depthwiseConv`. */
export interface ConvOptions {
  /** Stride per spatial axis (one number for all). Default 1. */
  strides?: number | number[];
  /** `'valid'` (default), `'same'` (TensorFlow's rule: the odd cell of padding after) or `'causal'` (1-D only). */
  padding?: ConvPadding;
  /** Dilation per spatial axis. Default 1. */
  dilations?: number | number[];
  /** Channel groups (`conv` only): input channels and filters must both be divisible by it. Default 1. */
  groups?: number;
  /** Activation fused into the op (its derivative taken from the output). Default `'linear'`. */
  activation?: FusedActivation;
  /** Negative slope of a fused `'leakyrelu'`. Default 0.1. */
  leakyreluAlpha?: number;
}

/** Options of `convTranspose`. */
export interface ConvTransposeOptions {
  strides?: number | number[];
  /** `'valid'` (default) or `'same'`, as Keras's Conv*DTranspose. */
  padding?: 'valid' | 'same';
  /** Extra cells after each spatial axis of the output (each < its stride), or null for Keras's default. */
  outputPadding?: number | number[] | null;
  dilations?: number | number[];
}

const AXES = ['width'];
const NAMES: Record<number, string[]> = { 1: AXES, 2: ['height', 'width'], 3: ['depth', 'height', 'width'] };
const shape = (s: readonly number[]) => `[${s.join(', ')}]`;

/** The rank of the spatial part, from a kernel `[...kernelSize, a, b]`. */
function spatialRank(op: string, kernel: Tensor): number {
  const r = kernel.rank - 2;
  if (r < 1 || r > 3) throw new Error(`${op}: kernel must have rank 3, 4 or 5 ([...kernelSize, in, out]), got ${shape(kernel.shape)}`);
  return r;
}

function checkInput(op: string, x: Tensor, r: number): void {
  if (x.rank !== r + 2) {
    throw new Error(`${op}: expects x [batch, ${NAMES[r].join(', ')}, channels] (rank ${r + 2}) for a ${r}-D kernel, got ${shape(x.shape)}`);
  }
}

/** [1, 1, ...s]: the spatial list `s` as the three internal axes. */
const lift = (s: number[], fill: number): number[] => [...Array.from({ length: 3 - s.length }, () => fill), ...s];

function to5d(t: Tensor, r: number): Tensor {
  const s = t.shape;
  return tfc.reshape(t, [s[0], ...lift(s.slice(1, 1 + r), 1), s[s.length - 1]]);
}

function kernelTo5d(k: Tensor, r: number): Tensor {
  const s = k.shape;
  return tfc.reshape(k, [...lift(s.slice(0, r), 1), s[r], s[r + 1]]);
}

function checkPadding(op: string, padding: unknown, allowCausal: boolean): ConvPadding {
  const allowed = allowCausal ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  if (typeof padding !== 'string' || !allowed.includes(padding.toLowerCase())) {
    throw new Error(`${op}: padding must be one of ${allowed.map((p) => `'${p}'`).join(', ')}, got ${JSON.stringify(padding)}`);
  }
  return padding.toLowerCase() as ConvPadding;
}

/** Geometry of a forward convolution on `x` with a kernel of spatial size `k`; throws on an empty output. */
function forwardGeometry(op: string, x: Tensor, k: number[], o: { strides?: number | number[]; padding?: ConvPadding; dilations?: number | number[] }, groups: number): { g: ConvGeometry; out: number[] } {
  const r = k.length;
  const strides = spatialTuple(op, 'strides', o.strides ?? 1, r);
  const dilations = spatialTuple(op, 'dilations', o.dilations ?? 1, r);
  const padding = checkPadding(op, o.padding ?? 'valid', r === 1);
  const inSizes = x.shape.slice(1, 1 + r);
  const pads: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const [b, a] = axisPadding(padding, inSizes[i], k[i], strides[i], dilations[i]);
    pads.push(b, a);
    const n = convOutLength(inSizes[i], k[i], strides[i], dilations[i], b, a);
    if (n <= 0) {
      throw new Error(
        `${op}: the ${NAMES[r][i]} of the input (${inSizes[i]}) is smaller than the ${padding === 'valid' ? '' : 'padded '}kernel ` +
          `(${k[i]}${dilations[i] > 1 ? ` dilated by ${dilations[i]} = ${effectiveKernel(k[i], dilations[i])}` : ''}): the output would be empty; use padding 'same' or a smaller kernel`,
      );
    }
    out.push(n);
  }
  return { g: { strides: lift(strides, 1), dilations: lift(dilations, 1), pads: [...Array.from({ length: 2 * (3 - r) }, () => 0), ...pads], groups }, out };
}

/**
 * A convolution (cross-correlation, as Keras) with channels last: x `[batch, ...spatial, in]`,
 * kernel `[...kernelSize, in / groups, out]` (Keras's layout), optional bias `[out]`, and a fused
 * activation. 1-D, 2-D and 3-D by the kernel's rank.
 * `conv(x, kernel, bias, { strides: 2, padding: 'same', activation: 'relu' })`.
 */
export function conv(x: Tensor, kernel: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  const op = 'conv';
  const r = spatialRank(op, kernel);
  checkInput(op, x, r);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`${op}: groups must be a positive integer, got ${String(groups)}`);
  const C = x.shape[r + 1];
  const [cg, O] = kernel.shape.slice(r);
  if (C % groups !== 0 || O % groups !== 0) {
    throw new Error(`${op}: groups (${groups}) must divide the input channels (${C}) and the filters (${O})`);
  }
  if (cg !== C / groups) {
    throw new Error(`${op}: kernel ${shape(kernel.shape)} expects ${cg * groups} input channels${groups > 1 ? ` in ${groups} groups` : ''}, x ${shape(x.shape)} has ${C}`);
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== O)) throw new Error(`${op}: bias must be [${O}], got ${shape(bias.shape)}`);
  const activation = options.activation ?? 'linear';
  const alpha = options.leakyreluAlpha ?? 0.1;
  if (activation === 'leakyrelu' && !(alpha > 0)) throw new Error(`${op}: fused leakyrelu needs alpha > 0, got ${alpha}`);
  const { g, out } = forwardGeometry(op, x, kernel.shape.slice(0, r), options, groups);
  return tfc.tidy(() => {
    const y = conv5d(to5d(x, r), kernelTo5d(kernel, r), bias ?? null, g, activation, alpha);
    return tfc.reshape(y, [x.shape[0], ...out, O]);
  });
}

/**
 * A depthwise convolution: each input channel convolved with its own `multiplier` filters.
 * x `[batch, ...spatial, in]`, kernel `[...kernelSize, in, multiplier]` (Keras's layout), output
 * channel `c·multiplier + m`; optional bias `[in·multiplier]` and fused activation.
 */
export function depthwiseConv(x: Tensor, kernel: Tensor, bias?: Tensor | null, options: Omit<ConvOptions, 'groups'> = {}): Tensor {
  const op = 'depthwiseConv';
  const r = spatialRank(op, kernel);
  checkInput(op, x, r);
  const C = x.shape[r + 1];
  const [kc, m] = kernel.shape.slice(r);
  if (kc !== C) throw new Error(`${op}: kernel ${shape(kernel.shape)} expects ${kc} input channels, x ${shape(x.shape)} has ${C}`);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== C * m)) throw new Error(`${op}: bias must be [${C * m}], got ${shape(bias.shape)}`);
  const { g, out } = forwardGeometry(op, x, kernel.shape.slice(0, r), options, C);
  return tfc.tidy(() => {
    const k5 = tfc.reshape(kernel, [...lift(kernel.shape.slice(0, r), 1), 1, C * m]);
    const y = conv5d(to5d(x, r), k5, bias ?? null, g, options.activation ?? 'linear', options.leakyreluAlpha ?? 0.1);
    return tfc.reshape(y, [x.shape[0], ...out, C * m]);
  });
}

/**
 * A transposed convolution (the input gradient of a convolution), as Keras's Conv*DTranspose:
 * x `[batch, ...spatial, in]`, kernel `[...kernelSize, out, in]` (Keras's layout). Output sizes
 * follow Keras (`outputPadding` adds cells after each axis).
 */
export function convTranspose(x: Tensor, kernel: Tensor, options: ConvTransposeOptions = {}): Tensor {
  const op = 'convTranspose';
  const r = spatialRank(op, kernel);
  checkInput(op, x, r);
  const [O, kin] = kernel.shape.slice(r);
  const C = x.shape[r + 1];
  if (kin !== C) throw new Error(`${op}: kernel ${shape(kernel.shape)} expects ${kin} input channels (its last axis), x ${shape(x.shape)} has ${C}`);
  const strides = spatialTuple(op, 'strides', options.strides ?? 1, r);
  const dilations = spatialTuple(op, 'dilations', options.dilations ?? 1, r);
  const padding = checkPadding(op, options.padding ?? 'valid', false) as 'valid' | 'same';
  const outputPadding = options.outputPadding == null ? null : spatialTuple(op, 'outputPadding', options.outputPadding, r, 0);
  outputPadding?.forEach((p, i) => {
    if (p >= strides[i]) throw new Error(`${op}: outputPadding must be smaller than the stride on every axis, got ${p} for stride ${strides[i]}`);
  });
  const k = kernel.shape.slice(0, r);
  const inSizes = x.shape.slice(1, 1 + r);
  const out: number[] = [];
  const pads: number[] = [];
  for (let i = 0; i < r; i++) {
    const o = convTransposeOutputSize(padding, inSizes[i], k[i], strides[i], dilations[i], outputPadding ? outputPadding[i] : null);
    if (o <= 0) throw new Error(`${op}: the output ${NAMES[r][i]} would be ${o}; check kernel size, strides and outputPadding`);
    out.push(o);
    pads.push(...transposePadding(padding, inSizes[i], o, k[i], strides[i], dilations[i]));
  }
  const g: ConvGeometry = { strides: lift(strides, 1), dilations: lift(dilations, 1), pads: [...Array.from({ length: 2 * (3 - r) }, () => 0), ...pads], groups: 1 };
  const outShape5 = [x.shape[0], ...lift(out, 1), O];
  return tfc.tidy(() => tfc.reshape(convBackpropInput5d(to5d(x, r), kernelTo5d(kernel, r), outShape5, g), [x.shape[0], ...out, O]));
}
