import { describe, expect, it, vi } from 'vitest';
import {
  Dense,
  Flatten,
  Input,
  Model,
  SGD,
  Sequential,
  classificationReport,
  loadMnist,
  memory,
  setSeed,
  tidy,
  trainValTestSplit,
  useNodeBackend,
  type Tensor,
} from '../src/index';

// The seed's two programs through the one import, on 600 of the embedded digits.
describe("the seed's programs through `neurona`", () => {
  it('Sequential and Functional perceptrons train, predict and report', async () => {
    await useNodeBackend({ force: process.env.NEURONA_TEST_BACKEND ?? 'cpu', silent: true });
    setSeed(42); // the same weights and shuffles every run (unseeded, 3 epochs on 480 digits sometimes ended below 0.6)
    const before = memory().numTensors;
    const { x, y } = await loadMnist({ limit: 600 });
    const { xTrain: xTr, yTrain: yTr, xVal, yVal, xTest: xTe, yTest: yTe } =
      trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
    const [lr, nEpochs, batchSize] = [0.1, 3, 32];

    // Sequential
    const model = Sequential();
    model.add(Flatten({ inputShape: [28, 28] }));
    model.add(Dense(10, { activation: 'softmax' }));
    model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(lr), metrics: ['accuracy'] });
    const H = await model.fit(xTr, yTr, { validationData: [xVal, yVal], epochs: nEpochs, batchSize: batchSize, verbose: 0 });
    const predictions = model.predict(xTe, { batchSize: batchSize }) as Tensor;
    const report = tidy(() => classificationReport(yTe.argMax(1), predictions.argMax(1)));
    expect(report).toMatch(/^ {14}precision {4}recall {2}f1-score {3}support\n/);
    expect(report).toMatch(/\n {4}accuracy {27}0\.\d\d {7}120\n/);
    expect(Object.keys(H.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(H.history.val_accuracy[nEpochs - 1]).toBeGreaterThan(0.6);

    // Functional
    const inputs = Input({ shape: [28, 28] });
    let h = Flatten({ inputShape: [784] })(inputs);
    h = Dense(10, { activation: 'softmax' })(h);
    const model2 = Model({ inputs, outputs: h });
    model2.compile({ loss: 'categorical_crossentropy', optimizer: SGD(lr), metrics: ['accuracy'] });
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const summary = model2.summary();
    log.mockRestore();
    expect(summary).toMatch(/Total params: 7,850/);
    const H2 = await model2.fit(xTr, yTr, { validationData: [xVal, yVal], epochs: nEpochs, batchSize: batchSize, verbose: 0 });
    expect(H2.history.val_accuracy[nEpochs - 1]).toBeGreaterThan(0.6);

    for (const t of [x, y, xTr, yTr, xVal, yVal, xTe, yTe, predictions]) t.dispose();
    model.dispose();
    model2.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
