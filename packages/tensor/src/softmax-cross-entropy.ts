// Softmax and categorical cross-entropy as one op. Separately, softmax's gradient is a Jacobian
// product and the log of a probability loses precision; fused, the loss is logsumexp(z) − Σ y·z
// and the gradient with respect to the logits is simply softmax(z)·Σy − y (softmax − y for
// one-hot labels). The gradient with respect to the labels is computed only when asked for.
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, TensorInfo, KernelBackend } from '@tensorflow/tfjs-core';
import { defineKernel, runNeuronaKernel, callBackendKernel, disposeIntermediate } from './kernel-util';
import { fastKernelsActive } from './fast-state';

/** tfjs kernel name of `softmaxCrossEntropyWithLogits`; its second output is softmax(logits). */
export const SOFTMAX_CE = 'NeuronaSoftmaxCrossEntropy';

/** tfjs kernel name of the gradient `dy · (softmax · Σy − y)` in one pass (fast kernels only). */
export const SOFTMAX_CE_GRAD = 'NeuronaSoftmaxCrossEntropyGrad';

defineKernel(SOFTMAX_CE_GRAD, () => {
  throw new Error(`${SOFTMAX_CE_GRAD} runs only with fast kernels on (cpu, wasm)`);
});

/** Runs a chain of backend kernels, releasing each intermediate once the next step used it. */
function chain(backend: KernelBackend) {
  const made: TensorInfo[] = [];
  return {
    k(name: string, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): TensorInfo {
      const out = callBackendKernel(name, backend, inputs, attrs as never);
      made.push(out);
      return out;
    },
    release(keep: TensorInfo[]): void {
      for (const t of made) if (!keep.includes(t)) disposeIntermediate(backend, t);
    },
  };
}

defineKernel(SOFTMAX_CE, (inputs, backend) => {
  const { labels, logits } = inputs;
  const c = chain(backend);
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

tfc.registerGradient({
  kernelName: SOFTMAX_CE,
  inputsToSave: ['labels', 'logits'],
  outputsToSave: [false, true],
  gradFunc: (dys, saved) => {
    const [labels, logits, probs] = saved;
    const dy = (Array.isArray(dys) ? dys[0] : dys) as Tensor;
    return {
      logits: () =>
        fastKernelsActive()
          ? runNeuronaKernel(SOFTMAX_CE_GRAD, { dy, probs, labels })
          : tfc.mul(tfc.expandDims(dy, 1), tfc.sub(tfc.mul(probs, tfc.sum(labels, 1, true)), labels)),
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
