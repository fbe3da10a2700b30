// BatchNormalization's training-mode forward as one op: the batch statistics of each channel and
// the normalized output, and a gradient that is one kernel too. Composed of tfjs ops, the forward
// is 7–8 passes over the activations and autodiff's backward through `moments` twice that; the
// backward in closed form needs the sums Σdy and Σdy·x̂ per channel and one pass for dx:
//   x̂ = (x − μ)·inv,  inv = 1/√(σ² + ε),  y = γ·x̂ + β
//   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ·inv·(dy − dβ/N − x̂·dγ/N).
// Each kernel has a portable body (the backend's kernels); a kernel package may give one-pass
// bodies to the backends whose memory it can reach.
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, TensorInfo, NamedAttrMap } from '@tensorflow/tfjs-core';
import { defineKernel, once, runNeuronaKernel, kernelChain } from './kernel-util';

/** tfjs kernel name of the training-mode forward: outputs `[y, mean, variance]` (biased variance). */
export const BATCH_NORM_TRAIN = 'NeuronaBatchNormTrain';

/** tfjs kernel name of its gradient: outputs `[dx, dgamma, dbeta]`. */
export const BATCH_NORM_TRAIN_GRAD = 'NeuronaBatchNormTrainGrad';

interface EpsilonAttrs extends NamedAttrMap {
  epsilon: number;
}

/**
 * Defines the kernels and the gradient, once, on first need: by the op, or by
 * `@neurona/tensor/kernel-api` for the kernel packages that give them faster bodies. Until then
 * nothing refers to them, so a bundle without this op leaves them out.
 */
export const defineBatchNormKernels = /* @__PURE__ */ once(() => {
  defineKernel(BATCH_NORM_TRAIN, (inputs, backend, attrs) => {
    const { x, gamma, beta } = inputs;
    const { epsilon } = attrs as EpsilonAttrs;
    const c = kernelChain(backend);
    const mean = c.k('Mean', { x }, { axis: [0], keepDims: false });
    const centered = c.k('Sub', { a: x, b: mean });
    const variance = c.k('Mean', { x: c.k('Square', { x: centered }) }, { axis: [0], keepDims: false });
    const inv = c.k('Rsqrt', { x: c.k('Add', { a: variance, b: c.scalar(epsilon, 'float32') }) });
    const y = c.k('Add', { a: c.k('Multiply', { a: centered, b: c.k('Multiply', { a: inv, b: gamma }) }), b: beta });
    c.release([y, mean, variance]);
    return [y, mean, variance] as unknown as TensorInfo;
  });

  defineKernel(BATCH_NORM_TRAIN_GRAD, (inputs, backend, attrs) => {
    const { dy, x, mean, variance, gamma } = inputs;
    const { epsilon } = attrs as EpsilonAttrs;
    const n = x.shape[0];
    const c = kernelChain(backend);
    const inv = c.k('Rsqrt', { x: c.k('Add', { a: variance, b: c.scalar(epsilon, 'float32') }) });
    const xhat = c.k('Multiply', { a: c.k('Sub', { a: x, b: mean }), b: inv });
    const dbeta = c.k('Sum', { x: dy }, { axis: [0], keepDims: false });
    const dgamma = c.k('Sum', { x: c.k('Multiply', { a: dy, b: xhat }) }, { axis: [0], keepDims: false });
    const inner = c.k('Sub', {
      a: c.k('Sub', { a: dy, b: c.k('Multiply', { a: dbeta, b: c.scalar(1 / n, 'float32') }) }),
      b: c.k('Multiply', { a: xhat, b: c.k('Multiply', { a: dgamma, b: c.scalar(1 / n, 'float32') }) }),
    });
    const dx = c.k('Multiply', { a: inner, b: c.k('Multiply', { a: gamma, b: inv }) });
    c.release([dx, dgamma, dbeta]);
    return [dx, dgamma, dbeta] as unknown as TensorInfo;
  });

  tfc.registerGradient({
    kernelName: BATCH_NORM_TRAIN,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, gamma, mean, variance] = saved;
      // the statistics outputs feed the moving averages, not the loss: only dy matters
      const dy = (Array.isArray(dys) ? dys[0] : dys) as Tensor;
      // one kernel computes all three, made now (tfjs runs each input's gradient in its own scope,
      // which would release the others); the backward pass's scope releases what is not used
      const [dx, dgamma, dbeta] = runNeuronaKernel(BATCH_NORM_TRAIN_GRAD, { dy, x, mean, variance, gamma }, { epsilon: (attrs as EpsilonAttrs).epsilon }) as unknown as Tensor[];
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  });
});

/**
 * Batch normalization in training mode over the rows of `x` (`[rows, channels]`: every axis but
 * the channels folded into the rows): `y = gamma·(x − mean)/√(variance + epsilon) + beta` with the
 * per-channel mean and biased variance of the batch, which it returns too (for the moving
 * averages; they carry no gradient). `gamma` and `beta` are `[channels]`.
 */
export function batchNormTrain(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  defineBatchNormKernels();
  if (x.rank !== 2) throw new Error(`batchNormTrain: x must be [rows, channels], got [${x.shape}]`);
  const ch = x.shape[1];
  for (const [name, t] of [['gamma', gamma], ['beta', beta]] as const) {
    if (t.rank !== 1 || t.shape[0] !== ch) throw new Error(`batchNormTrain: ${name} must be [${ch}], got [${t.shape}]`);
  }
  if (!(epsilon > 0)) throw new Error(`batchNormTrain: epsilon must be > 0, got ${epsilon}`);
  const [y, mean, variance] = runNeuronaKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { epsilon }) as unknown as Tensor[];
  return { y, mean, variance };
}
