// The derivative of a fused activation, computed from its output y (so the pre-activation need
// not be kept): relu' = [y > 0], sigmoid' = y(1 − y), elu' = y + 1 below zero, ...
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { FusedActivation } from './fused';
import { defineKernel, runNeuronaKernel } from './kernel-util';
import { fastKernelsActive } from './fast-state';

/** tfjs kernel name of the one-pass activation derivative (fast kernels only). */
export const ACTIVATION_GRAD = 'NeuronaActivationGrad';

defineKernel(ACTIVATION_GRAD, () => {
  throw new Error(`${ACTIVATION_GRAD} runs only with fast kernels on (cpu, wasm)`);
});

/** `dy · f'(x)` where `y = f(x)` is the saved output of a fused activation. */
export function activationGrad(dy: Tensor, y: Tensor, activation: FusedActivation, leakyreluAlpha = 0.1): Tensor {
  if (activation !== 'linear' && fastKernelsActive() && dy.dtype === 'float32') {
    return runNeuronaKernel(ACTIVATION_GRAD, { dy, y }, { activation, leakyreluAlpha });
  }
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu':
      return tfc.mul(dy, tfc.step(y, 0));
    case 'leakyrelu':
      // y > 0 exactly where x > 0 because alpha > 0
      return tfc.mul(dy, tfc.step(y, leakyreluAlpha));
    case 'relu6':
      return tfc.mul(dy, tfc.mul(tfc.step(y, 0), tfc.step(tfc.sub(6, y), 0)));
    case 'elu':
      return tfc.where(tfc.greater(y, 0), dy, tfc.mul(dy, tfc.add(y, 1)));
    case 'sigmoid':
      return tfc.mul(dy, tfc.mul(y, tfc.sub(1, y)));
  }
}
