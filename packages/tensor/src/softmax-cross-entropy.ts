// Softmax and categorical cross-entropy as one op. Separately, softmax's gradient is a Jacobian
// product and the log of a probability loses precision; fused, the loss is logsumexp(z) − Σ y·z
// and the gradient with respect to the logits is simply softmax(z)·Σy − y (softmax − y for
// one-hot labels). The gradient with respect to the labels is computed only when asked for.
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, runNeuronaKernel, kernelChain } from './kernel-util';

/** tfjs kernel name of `softmaxCrossEntropyWithLogits`; its second output is softmax(logits). */
export const SOFTMAX_CE = 'NeuronaSoftmaxCrossEntropy';

/** tfjs kernel name of its gradient with respect to the logits, `dy · (softmax · Σy − y)`. */
export const SOFTMAX_CE_GRAD = 'NeuronaSoftmaxCrossEntropyGrad';

defineKernel(SOFTMAX_CE, (inputs, backend) => {
  const { labels, logits } = inputs;
  const c = kernelChain(backend);
  const m = c.k('Max', { x: logits }, { reductionIndices: [1], keepDims: true });
  const s = c.k('Sub', { a: logits, b: m });
  const e = c.k('Exp', { x: s });
  const se = c.k('Sum', { x: e }, { axis: [1], keepDims: true });
  const probs = c.k('RealDiv', { a: e, b: se });
  const lse = c.k('Log', { x: se });
  const logp = c.k('Sub', { a: s, b: lse });
  const yl = c.k('Multiply', { a: labels, b: logp });
  const nll = c.k('Sum', { x: yl }, { axis: [1], keepDims: false });
  const loss = c.k('Neg', { x: nll });
  c.release([loss, probs]);
  return [loss, probs] as unknown as TensorInfo;
});

// The kernels of mul(expandDims(dy, 1), sub(mul(probs, sum(labels, 1, true)), labels)).
defineKernel(SOFTMAX_CE_GRAD, (inputs, backend) => {
  const { dy, probs, labels } = inputs;
  const c = kernelChain(backend);
  const d = c.k('ExpandDims', { input: dy }, { dim: 1 });
  const sy = c.k('Sum', { x: labels }, { axis: 1, keepDims: true });
  const out = c.k('Multiply', { a: d, b: c.k('Sub', { a: c.k('Multiply', { a: probs, b: sy }), b: labels }) });
  c.release([out]);
  return out;
});

tfc.registerGradient({
  kernelName: SOFTMAX_CE,
  inputsToSave: ['labels', 'logits'],
  outputsToSave: [false, true],
  gradFunc: (dys, saved) => {
    const [labels, logits, probs] = saved;
    const dy = (Array.isArray(dys) ? dys[0] : dys) as Tensor;
    return {
      logits: () => runNeuronaKernel(SOFTMAX_CE_GRAD, { dy, probs, labels }),
      // rarely wanted (labels that are themselves trained, e.g. distillation): −dy·logSoftmax(z)
      labels: () => tfc.mul(tfc.expandDims(tfc.neg(dy), 1), tfc.logSoftmax(logits)),
    };
  },
});

/**
 * Per-sample categorical cross-entropy of `softmax(logits)` against `labels` (both `[batch, classes]`),
 * shape `[batch]`; `mean` of it is Keras's `categorical_crossentropy` on a softmax output.
 */
export function softmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor): Tensor {
  if (logits.rank !== 2 || labels.rank !== 2 || labels.shape[0] !== logits.shape[0] || labels.shape[1] !== logits.shape[1]) {
    throw new Error(`softmaxCrossEntropyWithLogits: labels and logits must both be [batch, classes], got [${labels.shape}] and [${logits.shape}]`);
  }
  const lab = labels.dtype === 'float32' ? labels : tfc.cast(labels, 'float32');
  const out = runNeuronaKernel(SOFTMAX_CE, { labels: lab, logits }) as unknown as Tensor[];
  // The probabilities are for the gradient only; the tape keeps its own reference.
  out[1].dispose();
  if (lab !== labels) lab.dispose();
  return out[0];
}
