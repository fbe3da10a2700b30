// The gradient of a bias added to every row: the column sums of dz [rows, cols]. As tfjs's Sum
// over axis 0 it transposes first (on wasm, a full copy of a convolution's output gradient every
// step); a kernel package gives cpu and wasm a one-pass body.
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { defineKernel, runNeuronaKernel, callBackendKernel } from './kernel-util';

/** tfjs kernel name of `biasGrad` (column sums of a matrix). */
export const BIAS_GRAD = 'NeuronaBiasGrad';

defineKernel(BIAS_GRAD, (inputs, backend) => callBackendKernel('Sum', backend, { x: inputs.dz }, { axis: [0], keepDims: false }));

tfc.registerGradient({
  kernelName: BIAS_GRAD,
  inputsToSave: ['dz'],
  gradFunc: (g, saved) => {
    const [dz] = saved;
    // every row receives the gradient of its column's sum
    return { dz: () => tfc.broadcastTo(tfc.reshape(g as Tensor, [1, dz.shape[1] as number]), dz.shape) };
  },
});

/** Column sums of a 2-D tensor: the gradient of a bias added to each of its rows. */
export function biasGrad(dz: Tensor): Tensor {
  if (dz.rank !== 2) throw new Error(`biasGrad expects a 2-D tensor, got [${dz.shape.join(', ')}]`);
  return runNeuronaKernel(BIAS_GRAD, { dz });
}
