// The floor: a training loop written directly against @neurona/tensor, with every trick neurona's
// fit() is allowed to use (fused dense with bias and activation, transpose-free gradients, fused
// softmax cross-entropy, gather-based batches outside the gradient tape, no per-batch reads).
// neurona's fit() at ≤ 1.05× this loop means its framework overhead is at most 5%.
import * as T from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
import { activations } from '../data';
import { Missing, type CaseSetup, type EpochHooks, type Trainer } from './trainer';
import { batchIndices } from './batches';
import { handLoopCnn } from './hand-loop-cnn';

export function handLoop(setup: CaseSetup): Trainer {
  if (setup.caseName === 'cnn') return handLoopCnn(setup);
  if (setup.caseName === 'mlp_adam') throw new Missing('the hand loop runs plain SGD without shuffling');
  const vars: Variable[] = setup.weights.map((w, i) => T.variable(T.tensor(w.values, w.shape), true, `hand_${setup.caseName}_${i}_${Math.random().toString(36).slice(2, 8)}`));
  const acts = activations(setup.caseName);
  const n = setup.x.shape[0];
  const batches = batchIndices(n, setup.batchSize);
  const lr = T.scalar(setup.learningRate);

  /** Logits: hidden layers fuse relu, the softmax is left to the loss. */
  const logits = (x: Tensor): Tensor => {
    let h = x;
    for (let l = 0; l < acts.length; l++) {
      const last = l === acts.length - 1;
      h = T.dense(h, vars[2 * l], vars[2 * l + 1], last ? 'linear' : 'relu');
    }
    return h;
  };

  return {
    async train(epochs: number, hooks: EpochHooks): Promise<void> {
      for (let e = 0; e < epochs; e++) {
        hooks.begin(e);
        let lossSum: Tensor = T.scalar(0);
        for (const idx of batches) {
          const next = T.tidy(() => {
            const xb = T.gatherRows(setup.x, idx);
            const yb = T.gatherRows(setup.y, idx);
            const { value, grads } = T.variableGrads(() => T.mean(T.softmaxCrossEntropyWithLogits(yb, logits(xb))) as T.Scalar, vars);
            for (const v of vars) v.assign(T.sub(v, T.mul(grads[v.name], lr)));
            return T.add(lossSum, T.mul(value, idx.shape[0]));
          });
          lossSum.dispose();
          lossSum = next;
        }
        const total = (await lossSum.data())[0];
        lossSum.dispose();
        hooks.end(e, total / n);
      }
    },
    predict(x: Tensor, batchSize: number): Tensor {
      const parts: Tensor[] = [];
      for (const idx of batchIndices(x.shape[0], batchSize)) {
        parts.push(T.tidy(() => T.softmax(logits(T.gatherRows(x, idx)))));
        idx.dispose();
      }
      const out = parts.length === 1 ? parts[0] : T.concat(parts, 0);
      if (parts.length > 1) T.dispose(parts);
      return out;
    },
    dispose(): void {
      T.dispose([...vars, ...batches, lr]);
    },
  };
}
