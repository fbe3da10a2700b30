import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { initialWeights, makeDataset, INPUT, CLASSES } from '../src/data';
import { neurona } from '../src/impls/neurona';
import type { CaseName } from '../src/types';

// Each case's neurona trainer trains on every plan it may take: the compiled step (mlp, on arrays
// and on the dataset of the same batches; the cnn since s5-convplan) and the tape with
// `--no-jit-compile` (jitCompile: false) — a default of jitCompile: true once made the cnn case
// error out instead of falling back.
describe("the bench's neurona trainer", () => {
  for (const [caseName, plan, input] of [['mlp', 'compiled', 'arrays'], ['mlp', 'compiled', 'dataset'], ['cnn', 'compiled', 'arrays'], ['cnn', 'tape', 'arrays']] as [CaseName, string, 'arrays' | 'dataset'][]) {
    it(`trains the ${caseName} case (${plan}, ${input}) and leaks nothing`, async () => {
      const n = 64;
      const data = makeDataset(n, 1);
      const shape = caseName === 'cnn' ? [n, 28, 28, 1] : [n, INPUT];
      const x = T.tensor(data.x.subarray(0, n * INPUT), shape);
      const y = T.tensor2d(data.y.subarray(0, n * CLASSES), [n, CLASSES]);
      const before = T.memory().numTensors;
      const tr = await neurona({ caseName, batchSize: 32, learningRate: 0.01, optimizer: caseName === 'cnn' ? 'adam' : 'sgd', backend: 'cpu', weights: initialWeights(caseName, 2), x, y, jitCompile: plan === 'compiled' }, input);
      const losses: number[] = [];
      await tr.train(2, { begin: () => {}, end: (_e, loss) => losses.push(loss) });
      expect(losses.every((l) => Number.isFinite(l))).toBe(true);
      expect(tr.plan?.()).toBe(plan);
      tr.dispose();
      expect(T.memory().numTensors).toBe(before);
      T.dispose([x, y]);
    }, 60_000);
  }
});
