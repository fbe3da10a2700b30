// Convolution as three neurona kernels that are each other's gradients:
//   y  = conv(x, filter) (+ bias, fused activation)
//   dx = convBackpropInput(dy, filter)    (also the forward pass of a transposed convolution)
//   dw = convBackpropFilter(x, dy)
// All three work on 5-D channels-last tensors (x [N, D, H, W, C], filter [KD, KH, KW, C/g, O])
// with explicit padding, strides, dilations and groups; 1-D and 2-D convolutions are the D = 1
// (and H = 1) cases. Each has a portable body (conv-portable.ts) and may get a faster one from a
// kernel package (@neurona/kernels: im2col + its threaded GEMM on cpu and wasm). Their gradients
// are lazy: the input gradient of a first layer (the data) is never computed.
import * as tfc from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { defineKernel, once, runNeuronaKernel } from './kernel-util';
import { activationGrad } from './activation-grad';
import { biasGrad } from './bias-grad';
import type { FusedActivation } from './fused';
import { convPortable, convBackpropInputPortable, convBackpropFilterPortable, type ConvGeometryAttrs } from './conv-portable';

/** tfjs kernel name of the forward convolution. */
export const CONV = 'NeuronaConv';
/** tfjs kernel name of the convolution's input gradient (and transposed convolution). */
export const CONV_BACKPROP_INPUT = 'NeuronaConvBackpropInput';
/** tfjs kernel name of the convolution's filter gradient. */
export const CONV_BACKPROP_FILTER = 'NeuronaConvBackpropFilter';

/** Strides, dilations (three each), explicit padding (six) and groups of a 5-D convolution. */
export interface ConvGeometry {
  strides: number[];
  dilations: number[];
  pads: number[];
  groups: number;
}

interface ConvAttrs extends ConvGeometryAttrs {
  activation: FusedActivation;
  leakyreluAlpha: number;
}

const geometryOf = (attrs: NamedAttrMap): ConvGeometry => {
  const { strides, dilations, pads, groups } = attrs as ConvGeometryAttrs;
  return { strides, dilations, pads, groups };
};

/**
 * Defines the three kernels and their gradients, once, on first need: by the ops, or by
 * `@neurona/tensor/kernel-api` for the kernel packages that give them faster bodies. Until then
 * nothing refers to them, so a bundle without convolutions leaves them (and the portable
 * bodies) out.
 */
export const defineConvKernels = /* @__PURE__ */ once(() => {
  defineKernel(CONV, convPortable);
  defineKernel(CONV_BACKPROP_INPUT, convBackpropInputPortable);
  defineKernel(CONV_BACKPROP_FILTER, convBackpropFilterPortable);


  tfc.registerGradient({
    kernelName: CONV,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved;
      const { activation, leakyreluAlpha } = attrs as ConvAttrs;
      const g = geometryOf(attrs);
      const dz = activationGrad(dy as Tensor, y, activation, leakyreluAlpha);
      return {
        x: () => convBackpropInput5d(dz, filter, x.shape, g),
        filter: () => convBackpropFilter5d(x, dz, filter.shape, g),
        // over every output cell, on a 2-D view (tfjs-webgpu cannot reduce rank-5 tensors)
        bias: () => biasGrad(tfc.reshape(dz, [-1, dz.shape[dz.rank - 1] as number])),
      };
    },
  });

  // dx = Bᵀ(dy, w) is linear in both: <Bᵀ(dy, w), G> = <dy, conv(G, w)> = <w, filterGrad(G, dy)>.
  tfc.registerGradient({
    kernelName: CONV_BACKPROP_INPUT,
    inputsToSave: ['dy', 'filter'],
    gradFunc: (grad, saved, attrs) => {
      const [dy, filter] = saved;
      const g = geometryOf(attrs);
      const G = grad as Tensor;
      return {
        dy: () => conv5d(G, filter, null, g),
        filter: () => convBackpropFilter5d(G, dy, filter.shape, g),
      };
    },
  });

  // dw = F(x, dy): <F(x, dy), G> = <dy, conv(x, G)> = <x, inputGrad(dy, G)>.
  tfc.registerGradient({
    kernelName: CONV_BACKPROP_FILTER,
    inputsToSave: ['x', 'dy'],
    gradFunc: (grad, saved, attrs) => {
      const [x, dy] = saved;
      const g = geometryOf(attrs);
      const G = grad as Tensor;
      return {
        x: () => convBackpropInput5d(dy, G, x.shape, g),
        dy: () => conv5d(x, G, null, g),
      };
    },
  });
});

/** Output size of one axis of the internal convolution (explicit padding). */
export function convOutLength(inSize: number, k: number, s: number, d: number, padBefore: number, padAfter: number): number {
  return Math.floor((inSize + padBefore + padAfter - (k - 1) * d - 1) / s) + 1;
}

/** The 5-D forward convolution (shapes already checked by the caller). */
export function conv5d(x: Tensor, filter: Tensor, bias: Tensor | null, g: ConvGeometry, activation: FusedActivation = 'linear', leakyreluAlpha = 0.1): Tensor {
  defineConvKernels();
  const inputs: tfc.NamedTensorMap = bias ? { x, filter, bias } : { x, filter };
  return runNeuronaKernel(CONV, inputs, { ...g, activation, leakyreluAlpha });
}

/** The 5-D input gradient: dx `inputShape` from dy and the filter. */
export function convBackpropInput5d(dy: Tensor, filter: Tensor, inputShape: number[], g: ConvGeometry): Tensor {
  defineConvKernels();
  return runNeuronaKernel(CONV_BACKPROP_INPUT, { dy, filter }, { ...g, inputShape: inputShape.slice() });
}

/** The 5-D filter gradient: dfilter `filterShape` from x and dy. */
export function convBackpropFilter5d(x: Tensor, dy: Tensor, filterShape: number[], g: ConvGeometry): Tensor {
  defineConvKernels();
  return runNeuronaKernel(CONV_BACKPROP_FILTER, { x, dy }, { ...g, filterShape: filterShape.slice() });
}
