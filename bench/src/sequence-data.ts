// The `lstm` case's data and initial weights, identical for every implementation: integer token
// sequences with a label the model can learn (whether rare tokens are frequent in the sequence).
import { createRng } from '@neurona/tensor';
import type { WeightSpec } from './data';

/** The LSTM case: sequence 50, batch 64, 128 units, embedding input, binary output. */
export const LSTM_CASE = { steps: 50, vocab: 1000, embed: 64, units: 128, batchSize: 64, learningRate: 0.1 } as const;

/** `n` sequences: ids in [1, vocab) `[n, steps]` (as floats, as models take them), labels `[n, 1]`. */
export interface SequenceDataset {
  n: number;
  x: Float32Array;
  y: Float32Array;
}

export function makeSequenceDataset(n: number, seed: number): SequenceDataset {
  const { steps, vocab } = LSTM_CASE;
  const rng = createRng(seed);
  const x = new Float32Array(n * steps);
  const y = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    let rare = 0;
    for (let t = 0; t < steps; t++) {
      const id = 1 + Math.floor(rng() * (vocab - 1));
      x[s * steps + t] = id;
      if (id < vocab / 10) rare++;
    }
    // about half the sequences hold 5 or more of the 99 rare ids
    y[s] = rare >= 5 ? 1 : 0;
  }
  return { n, x, y };
}

function uniform(rng: () => number, n: number, limit: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (rng() * 2 - 1) * limit;
  return v;
}

/**
 * Keras's order and layouts: embeddings `[vocab, embed]` (uniform ±0.05), LSTM kernel
 * `[embed, 4·units]`, recurrent kernel `[units, 4·units]` (glorot uniform), bias `[4·units]`
 * (forget gate 1), Dense kernel `[units, 1]`, bias `[1]`.
 */
export function lstmWeights(seed: number): WeightSpec[] {
  const { vocab, embed, units } = LSTM_CASE;
  const rng = createRng(seed);
  const glorot = (a: number, b: number) => uniform(rng, a * b, Math.sqrt(6 / (a + b)));
  const bias = new Float32Array(4 * units);
  bias.fill(1, units, 2 * units);
  return [
    { shape: [vocab, embed], values: uniform(rng, vocab * embed, 0.05) },
    { shape: [embed, 4 * units], values: glorot(embed, 4 * units) },
    { shape: [units, 4 * units], values: glorot(units, 4 * units) },
    { shape: [4 * units], values: bias },
    { shape: [units, 1], values: glorot(units, 1) },
    { shape: [1], values: new Float32Array(1) },
  ];
}
