// Dense layer as one op: matMul, bias and activation fused in the forward pass (the backend's
// _FusedMatMul kernel, or a kernel package's body), and a gradient that
// - spells transposes out (tfjs-core's matMul gradient uses the transpose flags, which the wasm
//   backend runs about 8× slower, docs/perf.md),
// - is lazy per input: the gradient with respect to the layer's input is computed only when
//   something upstream needs it (the first layer's input is data: tfjs's customGrad would compute
//   that product anyway, a third of a Dense layer's backward work),
// - takes the activation's derivative from the saved output in one step.
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, runNeuronaKernel, callBackendKernel } from './kernel-util';
import { matMulT } from './matmul-t';
import { activationGrad } from './activation-grad';
import { biasGrad } from './bias-grad';

/** Activations that `dense` fuses into the matMul (their derivative is a function of the output). */
export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu';

const FUSABLE: Record<string, FusedActivation> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  sigmoid: 'sigmoid',
  leakyrelu: 'leakyrelu',
  leaky_relu: 'leakyrelu',
  leakyRelu: 'leakyrelu',
};

/**
 * The fused form of an activation name (Keras or camelCase), or `null` when `dense` cannot fuse
 * it (apply the activation separately then). `fusedActivation('leaky_relu') === 'leakyrelu'`.
 */
export function fusedActivation(name: string | undefined | null): FusedActivation | null {
  if (name == null) return 'linear';
  return FUSABLE[name] ?? null;
}

/** tfjs kernel name of `dense`. */
export const DENSE = 'NeuronaDense';

interface DenseAttrs extends NamedAttrMap {
  activation: FusedActivation;
  leakyreluAlpha: number;
}

defineKernel(DENSE, (inputs, backend, attrs) => {
  const { activation, leakyreluAlpha } = attrs as DenseAttrs;
  const { x, kernel } = inputs;
  // _FusedMatMul kernels take rank-3 operands (tfjs-core's op reshapes before calling them);
  // a TensorInfo with another shape over the same data is a free reshape.
  const ins: Record<string, TensorInfo> = { a: { ...x, shape: [1, ...x.shape] }, b: { ...kernel, shape: [1, ...kernel.shape] } };
  if (inputs.bias) ins.bias = inputs.bias;
  const out = callBackendKernel('_FusedMatMul', backend, ins, { transposeA: false, transposeB: false, activation, leakyreluAlpha });
  return { ...out, shape: [x.shape[0], kernel.shape[1]] };
});

tfc.registerGradient({
  kernelName: DENSE,
  inputsToSave: ['x', 'kernel'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, kernel, y] = saved;
    const { activation, leakyreluAlpha } = attrs as DenseAttrs;
    // Shared by the three input gradients, so made now rather than inside each lazy one.
    const dz = activationGrad(dy as Tensor, y, activation, leakyreluAlpha);
    return {
      x: () => matMulT(dz, kernel, false, true),
      kernel: () => matMulT(x, dz, true, false),
      // column sums as one kernel with a one-pass body on cpu/wasm (tfjs wasm's Sum over axis 0
      // transposes first: 16 ms for the lstm bench's [3200, 512] against about 2)
      bias: () => biasGrad(dz),
    };
  },
});

/**
 * `activation(x · kernel + bias)` for x `[batch, in]`, kernel `[in, out]`, bias `[out]`, as one
 * op with a fast gradient (see the file comment). `dense(x, W, b, 'relu')`.
 * `leakyreluAlpha` is the negative slope of `'leakyrelu'` (must be > 0; the seed's default is 0.1).
 */
export function dense(x: Tensor, kernel: Tensor, bias?: Tensor, activation: FusedActivation = 'linear', leakyreluAlpha = 0.1): Tensor {
  if (x.rank !== 2 || kernel.rank !== 2 || x.shape[1] !== kernel.shape[0]) {
    throw new Error(`dense: expects x [batch, ${kernel.shape[0]}] and kernel [in, out], got x [${x.shape}] and kernel [${kernel.shape}]`);
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== kernel.shape[1])) {
    throw new Error(`dense: bias must be [${kernel.shape[1]}], got [${bias.shape}]`);
  }
  if (activation === 'leakyrelu' && !(leakyreluAlpha > 0)) {
    throw new Error(`dense: fused leakyrelu needs alpha > 0, got ${leakyreluAlpha}`);
  }
  const inputs: tfc.NamedTensorMap = bias ? { x, kernel, bias } : { x, kernel };
  return runNeuronaKernel(DENSE, inputs, { activation, leakyreluAlpha });
}
