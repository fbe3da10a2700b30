// The derivative of a fused activation, computed from its output y (so the pre-activation need
// not be kept): relu' = [y > 0], sigmoid' = y(1 − y), elu' = y + 1 below zero, ...
// One neurona kernel: its portable body chains the backend kernels the tfjs ops
// `mul(dy, step(y, 0))` & co. run, so the values are the same; a kernel package may give it a
// one-pass body.
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, NamedAttrMap } from '@tensorflow/tfjs-core';
import type { FusedActivation } from './fused';
import { defineKernel, runNeuronaKernel, kernelChain } from './kernel-util';

/** tfjs kernel name of the activation derivative `dy · f'(x)` taken from the output `y = f(x)`. */
export const ACTIVATION_GRAD = 'NeuronaActivationGrad';

interface ActivationGradAttrs extends NamedAttrMap {
  activation: FusedActivation;
  leakyreluAlpha: number;
}

defineKernel(ACTIVATION_GRAD, (inputs, backend, attrs) => {
  const { dy, y } = inputs;
  const { activation, leakyreluAlpha } = attrs as ActivationGradAttrs;
  const c = kernelChain(backend);
  let out;
  switch (activation) {
    case 'relu':
      out = c.k('Multiply', { a: dy, b: c.k('Step', { x: y }, { alpha: 0 }) });
      break;
    case 'leakyrelu':
      // y > 0 exactly where x > 0 because alpha > 0
      out = c.k('Multiply', { a: dy, b: c.k('Step', { x: y }, { alpha: leakyreluAlpha }) });
      break;
    case 'relu6': {
      const below6 = c.k('Step', { x: c.k('Sub', { a: c.scalar(6, y.dtype), b: y }) }, { alpha: 0 });
      out = c.k('Multiply', { a: dy, b: c.k('Multiply', { a: c.k('Step', { x: y }, { alpha: 0 }), b: below6 }) });
      break;
    }
    case 'elu': {
      // tfjs's where() first copies its operands (a broadcast to their own shape): same values
      const cond = c.k('Greater', { a: y, b: c.scalar(0, y.dtype) });
      const other = c.k('Multiply', { a: dy, b: c.k('Add', { a: y, b: c.scalar(1, y.dtype) }) });
      out = c.k('Select', { condition: cond, t: dy, e: other });
      break;
    }
    case 'sigmoid':
      out = c.k('Multiply', { a: dy, b: c.k('Multiply', { a: y, b: c.k('Sub', { a: c.scalar(1, y.dtype), b: y }) }) });
      break;
    default:
      // linear never reaches the kernel (activationGrad returns dy itself)
      throw new Error(`${ACTIVATION_GRAD}: unknown activation ${JSON.stringify(activation)}`);
  }
  c.release([out]);
  return out;
});

// Second-order gradients (a gradient penalty through a Dense layer) go through this kernel too.
tfc.registerGradient({
  kernelName: ACTIVATION_GRAD,
  inputsToSave: ['dy', 'y'],
  gradFunc: (g, saved, attrs) => {
    const [dy, y] = saved;
    const { activation, leakyreluAlpha } = attrs as ActivationGradAttrs;
    const dg = g as Tensor;
    return {
      // the output is linear in dy
      dy: () => activationGrad(dg, y, activation, leakyreluAlpha),
      // f' as a function of y: constant pieces for relu, relu6 and leaky relu
      y: () => {
        switch (activation) {
          case 'elu':
            return tfc.where(tfc.greater(y, 0), tfc.zerosLike(y), tfc.mul(dg, dy));
          case 'sigmoid':
            return tfc.mul(tfc.mul(dg, dy), tfc.sub(1, tfc.mul(y, 2)));
          default:
            return tfc.zerosLike(y);
        }
      },
    };
  },
});

/** `dy · f'(x)` where `y = f(x)` is the saved output of a fused activation. */
export function activationGrad(dy: Tensor, y: Tensor, activation: FusedActivation, leakyreluAlpha = 0.1): Tensor {
  if (activation === 'linear') return dy;
  return runNeuronaKernel(ACTIVATION_GRAD, { dy, y }, { activation, leakyreluAlpha });
}
