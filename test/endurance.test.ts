import { describe, expect, it } from 'vitest';
import { L, M, T } from './bad-inputs/packages';

// Reliability: no tensor leaks. 100 alternating fit / predict / evaluate calls on one small
// model, with the number of live tensors checked after every call.

describe('endurance', () => {
  it('100 alternating fit, predict and evaluate calls keep the tensors alive constant', async () => {
    L.resetNames();
    T.setSeed(1);
    const x = T.randomNormal([64, 8]);
    const y = T.oneHot(T.argMax(T.matMul(x, T.randomNormal([8, 3])), 1), 3).toFloat();
    const model = M.Sequential([L.Dense(16, { inputShape: [8], activation: 'relu' }), L.Dropout(0.1), L.Dense(3, { activation: 'softmax' })]);
    model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
    // the first fit creates the optimizer state; count from there
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    const baseline = T.memory().numTensors;
    const counts: number[] = [];
    for (let i = 0; i < 100; i++) {
      const kind = i % 3;
      if (kind === 0) {
        await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, validationSplit: 0.25 });
      } else if (kind === 1) {
        const p = model.predict(x, { batchSize: 10 }) as T.Tensor;
        p.dispose();
      } else {
        await model.evaluate(x, y, { batchSize: 20 });
      }
      counts.push(T.memory().numTensors);
    }
    expect(new Set(counts)).toEqual(new Set([baseline]));
    model.dispose();
    x.dispose();
    y.dispose();
  });
});
