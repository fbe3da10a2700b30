// The floor for the cnn case: Keras's "Simple MNIST convnet" written directly against
// @neurona/tensor with every trick fit() may use (conv with fused bias + relu, one-pass pooling,
// fused softmax cross-entropy, row-copy batches outside the tape, no per-batch reads) and Adam
// as Keras computes it.
import * as T from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
import type { CaseSetup, EpochHooks, Trainer } from './trainer';
import { batchIndices } from './batches';

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

/** A variable from `t` (which keeps its own reference to the data): the handle made for it is released. */
function own(t: Tensor, trainable: boolean, name?: string): Variable {
  const v = T.variable(t, trainable, name);
  t.dispose();
  return v;
}

export function handLoopCnn(setup: CaseSetup): Trainer {
  const tag = Math.random().toString(36).slice(2, 8);
  const vars = setup.weights.map((w, i) => own(T.tensor(w.values, w.shape), true, `hand_cnn_${i}_${tag}`));
  const slots = vars.map((v) => [own(T.zerosLike(v), false), own(T.zerosLike(v), false)]);
  const n = setup.x.shape[0];
  const batches = batchIndices(n, setup.batchSize);
  let step = 0;
  let seed = 1;

  const logits = (x: Tensor, training: boolean): Tensor => {
    const [w1, b1, w2, b2, w3, b3] = vars;
    let h = T.maxPooling(T.conv(x, w1, b1, { activation: 'relu' }), { poolSize: 2 });
    h = T.maxPooling(T.conv(h, w2, b2, { activation: 'relu' }), { poolSize: 2 });
    h = T.reshape(h, [x.shape[0], 1600]);
    if (training) {
      // inverted dropout 0.5, as Keras
      const keep = T.cast(T.greaterEqual(T.randomUniform(h.shape, 0, 1, 'float32', seed++), 0.5), 'float32');
      h = T.mul(h, T.mul(keep, 2));
    }
    return T.dense(h, w3, b3);
  };

  return {
    async train(epochs: number, hooks: EpochHooks): Promise<void> {
      for (let e = 0; e < epochs; e++) {
        hooks.begin(e);
        let lossSum: Tensor = T.scalar(0);
        for (const idx of batches) {
          step++;
          const alpha = (setup.learningRate * Math.sqrt(1 - BETA2 ** step)) / (1 - BETA1 ** step);
          const next = T.tidy(() => {
            const xb = T.gatherRows(setup.x, idx);
            const yb = T.gatherRows(setup.y, idx);
            const { value, grads } = T.variableGrads(() => T.mean(T.softmaxCrossEntropyWithLogits(yb, logits(xb, true))) as T.Scalar, vars);
            vars.forEach((v, i) => {
              const g = grads[v.name];
              const [m, s] = slots[i];
              m.assign(T.add(m, T.mul(T.sub(g, m), 1 - BETA1)));
              s.assign(T.add(s, T.mul(T.sub(T.square(g), s), 1 - BETA2)));
              v.assign(T.sub(v, T.div(T.mul(m, alpha), T.add(T.sqrt(s), EPSILON))));
            });
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
        parts.push(T.tidy(() => T.softmax(logits(T.gatherRows(x, idx), false))));
        idx.dispose();
      }
      const out = parts.length === 1 ? parts[0] : T.concat(parts, 0);
      if (parts.length > 1) T.dispose(parts);
      return out;
    },
    dispose(): void {
      T.dispose([...vars, ...slots.flat(), ...batches]);
    },
  };
}
