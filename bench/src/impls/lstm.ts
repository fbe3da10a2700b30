// The `lstm` case, three ways: Embedding → LSTM(128) → Dense(1, sigmoid), binary cross-entropy,
// SGD, on the same data and initial weights.
import * as T from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { LSTM_CASE } from '../sequence-data';
import type { CaseSetup, EpochHooks, Trainer } from './trainer';

const { steps, vocab, embed, units } = LSTM_CASE;

function setWeights(model: { setWeights(ws: Tensor[]): void }, setup: CaseSetup): void {
  const init = setup.weights.map((w) => T.tensor(w.values, w.shape));
  model.setWeights(init);
  T.dispose(init);
}

/** neurona: Sequential + Embedding + LSTM + Dense + fit(). */
export async function neuronaLstm(setup: CaseSetup): Promise<Trainer> {
  const [{ Sequential }, { Embedding, LSTM, Dense }, { SGD }] = await Promise.all([import('@neurona/models'), import('@neurona/layers'), import('@neurona/optimizers')]);
  const model = Sequential([Embedding(vocab, embed, { inputShape: [steps] }), LSTM(units), Dense(1, { activation: 'sigmoid' })]);
  const optimizer = SGD(setup.learningRate);
  model.compile({ loss: 'binary_crossentropy', optimizer });
  setWeights(model, setup);
  return {
    async train(epochs: number, hooks: EpochHooks): Promise<void> {
      await model.fit(setup.x, setup.y, {
        epochs,
        batchSize: setup.batchSize,
        shuffle: false,
        verbose: 0,
        callbacks: [{ onEpochBegin: (e: number) => hooks.begin(e), onEpochEnd: (e: number, logs?: Record<string, number>) => hooks.end(e, Number(logs?.loss)) }],
      });
    },
    predict: (x: Tensor, batchSize: number) => model.predict(x, { batchSize }),
    dispose(): void {
      model.dispose();
      optimizer.dispose();
    },
  };
}

/**
 * tfjs-layers' Embedding gradient is an UnsortedSegmentSum, a kernel tfjs 4.22's wasm backend
 * lacks: without it tfjs-layers cannot train this model on wasm at all. The bench gives wasm
 * one, a ScatterNd (which sums repeated ids, as the segment sum does), so it can be timed.
 */
function giveWasmSegmentSum(): void {
  if (tfc.getBackend() !== 'wasm' || tfc.getKernel('UnsortedSegmentSum', 'wasm')) return;
  const scatter = tfc.getKernel('ScatterNd', 'wasm');
  if (!scatter) return;
  tfc.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as unknown as Record<string, tfc.TensorInfo>;
      const n = segmentIds.shape[0];
      const rest = x.shape.slice(1);
      const width = rest.reduce((a, b) => a * b, 1);
      return scatter.kernelFunc({
        inputs: { indices: { ...segmentIds, shape: [n, 1] }, updates: { ...x, shape: [n, width] } } as never,
        backend,
        attrs: { shape: [(attrs as { numSegments: number }).numSegments, ...rest] },
      });
    },
  });
}

/** tfjs-layers 4.22: the same model (its LSTM's gates set to sigmoid, Keras 3's default). */
export function tfjsLayersLstm(setup: CaseSetup): Trainer {
  giveWasmSegmentSum();
  const model = tfl.sequential({
    layers: [
      tfl.layers.embedding({ inputDim: vocab, outputDim: embed, inputLength: steps }),
      tfl.layers.lstm({ units, recurrentActivation: 'sigmoid' }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: tfc.train.sgd(setup.learningRate), loss: 'binaryCrossentropy' });
  setWeights(model, setup);
  return {
    async train(epochs: number, hooks: EpochHooks): Promise<void> {
      await model.fit(setup.x, setup.y, {
        epochs,
        batchSize: setup.batchSize,
        shuffle: false,
        verbose: 0,
        yieldEvery: 'never',
        callbacks: { onEpochBegin: async (e: number) => hooks.begin(e), onEpochEnd: async (e: number, logs?: tfl.Logs) => hooks.end(e, Number(logs?.loss)) },
      });
    },
    predict: (x: Tensor, batchSize: number) => model.predict(x, { batchSize }) as Tensor,
    dispose(): void {
      model.dispose();
      model.optimizer.dispose();
    },
  };
}

/** The floor: @neurona/tensor's ops directly (embedding lookup, one dense projection, the fused time loop). */
export function handLoopLstm(setup: CaseSetup): Trainer {
  const tag = Math.random().toString(36).slice(2, 8);
  const vars: Variable[] = setup.weights.map((w, i) => T.variable(T.tensor(w.values, w.shape), true, `hand_lstm_${i}_${tag}`));
  const [emb, kernel, recurrent, bias, dk, db] = vars;
  const n = setup.x.shape[0];
  const lr = T.scalar(setup.learningRate);
  const logits = (x: Tensor): Tensor => {
    const b = x.shape[0];
    const e = T.embeddingLookup(emb, T.cast(x, 'int32'));
    const xw = T.reshape(T.dense(T.reshape(e, [b * steps, embed]), kernel, bias), [b, steps, 4 * units]);
    const zero = T.zeros([b, units]);
    const { h } = T.recurrentSequence('lstm', xw, recurrent, [zero, zero]);
    const last = T.reshape(T.slice(h, [0, steps - 1, 0], [b, 1, units]), [b, units]);
    return T.dense(last, dk, db);
  };
  const batches: Tensor[] = [];
  for (let s = 0; s < n; s += setup.batchSize) {
    const m = Math.min(setup.batchSize, n - s);
    batches.push(T.tensor1d(Int32Array.from({ length: m }, (_, i) => s + i), 'int32'));
  }
  return {
    async train(epochs: number, hooks: EpochHooks): Promise<void> {
      for (let e = 0; e < epochs; e++) {
        hooks.begin(e);
        let sum: Tensor = T.scalar(0);
        for (const idx of batches) {
          const next = T.tidy(() => {
            const xb = T.gatherRows(setup.x, idx);
            const yb = T.gatherRows(setup.y, idx);
            const { value, grads } = T.variableGrads(() => {
              const z = logits(xb);
              // binary cross-entropy from logits: softplus(z) − z·y
              return T.mean(T.sub(T.softplus(z), T.mul(z, yb))) as T.Scalar;
            }, vars);
            for (const v of vars) v.assign(T.sub(v, T.mul(grads[v.name], lr)));
            return T.add(sum, T.mul(value, idx.shape[0]));
          });
          sum.dispose();
          sum = next;
        }
        const total = (await sum.data())[0];
        sum.dispose();
        hooks.end(e, total / n);
      }
    },
    predict(x: Tensor, batchSize: number): Tensor {
      const parts: Tensor[] = [];
      for (let s = 0; s < x.shape[0]; s += batchSize) {
        const m = Math.min(batchSize, x.shape[0] - s);
        parts.push(T.tidy(() => T.sigmoid(logits(T.slice(x, [s, 0], [m, steps])))));
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
