// Conv2D and 2-D pooling layers as steps of a compiled plan (channels-last, groups 1, dilation
// 1), or the reason one cannot be: loaded with conv-front.ts only for a model that has one.
import { variableConstraint } from '@neurona/tensor';
import type { Variable } from '@neurona/tensor';
import type { Layer } from '@neurona/layers';
import type { PlanActivation } from '@neurona/kernels';
import { activationNameOf } from '../graph';
import { ACTIVATIONS, penaltyOf, type PlanFeature } from './analyze';

/** TensorFlow's 'same' padding before: half the total, the odd cell after. */
const padBefore = (padding: string, n: number, out: number, k: number, s: number) => (padding === 'same' ? Math.floor(Math.max((out - 1) * s + k - n, 0) / 2) : 0);

/** A Conv2D or 2-D pooling layer as a plan step, from its input and output shapes `[null, H, W, C]`, or why not. */
export function featureOf(layer: Layer, inShape: readonly (number | null)[], outShape: readonly (number | null)[]): PlanFeature | string {
  const c = layer as unknown as {
    dataFormat: string; padding: string; strides: number[]; kernelSize?: number[]; poolSize?: number[]; dilationRate?: number[]; groups?: number;
    kernel?: Variable | null; bias?: Variable | null; kernelRegularizer?: unknown; biasRegularizer?: unknown;
  };
  if (c.dataFormat !== 'channels_last') return `layer "${layer.name}" is ${c.dataFormat} (the plan runs channels_last)`;
  if (inShape.length !== 4 || outShape.length !== 4 || [...inShape.slice(1), ...outShape.slice(1)].some((d) => d === null)) return `layer "${layer.name}" has an input or output shape not fully known`;
  const [H, W, C] = inShape.slice(1) as number[];
  const [OH, OW, O] = outShape.slice(1) as number[];
  if (c.padding !== 'valid' && c.padding !== 'same') return `layer "${layer.name}" has padding '${c.padding}'`;
  const [sh, sw] = c.strides;
  if (layer.className !== 'Conv2D') {
    const [kh, kw] = c.poolSize as number[];
    return {
      kind: 'pool', layer, max: layer.className === 'MaxPooling2D', H, W, C, kh, kw, sh, sw,
      ph: padBefore(c.padding, H, OH, kh, sh), pw: padBefore(c.padding, W, OW, kw, sw), OH, OW,
    };
  }
  if ((c.dilationRate ?? [1, 1]).some((d) => d !== 1)) return `Conv2D layer "${layer.name}" has a dilation rate (the plan runs dilation 1)`;
  if (c.groups !== 1) return `Conv2D layer "${layer.name}" has ${String(c.groups)} groups (the plan runs 1)`;
  const kernelPenalty = penaltyOf(c.kernelRegularizer);
  const biasPenalty = penaltyOf(c.biasRegularizer);
  if (typeof kernelPenalty === 'string' || typeof biasPenalty === 'string') return `layer "${layer.name}" has a ${String(typeof kernelPenalty === 'string' ? kernelPenalty : biasPenalty)} regularizer (the plan knows L1, L2 and L1L2)`;
  const kernel = c.kernel ?? null;
  const bias = c.bias ?? null;
  if (!kernel || kernel.dtype !== 'float32') return `layer "${layer.name}" is not built with float32 weights`;
  const vars = [kernel, ...(bias ? [bias] : [])];
  const own = layer.trainable ? layer.trainableWeights : layer.nonTrainableWeights;
  if (layer.weights.length !== vars.length || vars.some((v) => !own.includes(v))) return `layer "${layer.name}" has other weights`;
  if (vars.some((v) => variableConstraint(v) !== null)) return `layer "${layer.name}" has a weight constraint`;
  const act = activationNameOf(layer) ?? '';
  if (!ACTIVATIONS.includes(act)) return `layer "${layer.name}" has activation "${act}"`;
  const [KH, KW] = c.kernelSize as number[];
  if (kernel.shape.join() !== [KH, KW, C, O].join()) return `layer "${layer.name}" has a kernel of shape [${kernel.shape.join(', ')}] for ${C} input channels`;
  return {
    kind: 'conv', layer, kernel, bias, H, W, cin: C, KH, KW, sh, sw,
    ph: padBefore(c.padding, H, OH, KH, sh), pw: padBefore(c.padding, W, OW, KW, sw), OH, OW, O,
    activation: act as PlanActivation, trainable: layer.trainable, kernelPenalty, biasPenalty,
  };
}
