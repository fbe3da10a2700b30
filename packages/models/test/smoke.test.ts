import { describe, expect, it } from 'vitest';
import { memory } from '@neurona/tensor';
import { Dense, Flatten, Input } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import { Model } from '../src/functional';
import { memoryWriter } from '../src/writer';
import { syntheticMnist } from './helpers';

describe('smoke', () => {
  it('seed sequential perceptron learns', async () => {
    const { x, y } = syntheticMnist(2000);
    const model = Sequential();
    model.add(Flatten());
    model.add(Dense(10, { inputShape: [784], activation: 'softmax' }));
    model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] });
    const w = memoryWriter(false);
    const H = await model.fit(x, y, { epochs: 3, batchSize: 128, writer: w, validationSplit: 0.1 });
    console.log(w.text());
    console.log(H.history);
    const before = memory().numTensors;
    const p = model.predict(x, { batchSize: 128 }) as import('@neurona/tensor').Tensor;
    expect(p.shape).toEqual([2000, 10]);
    p.dispose();
    expect(memory().numTensors).toBe(before);
    const ev = await model.evaluate(x, y);
    console.log(ev);
    model.summary();
    const inputs = Input({ shape: [28, 28] });
    let h = Flatten()(inputs);
    h = Dense(10, { activation: 'softmax' })(h);
    const m2 = Model({ inputs, outputs: h });
    m2.summary();
  });
});
