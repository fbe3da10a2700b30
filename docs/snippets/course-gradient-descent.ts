// Gradient descent three ways, on the same model and data: GD (the whole training set per
// update), SGD (one example per update) and mini-batch SGD (32). Same number of epochs; very
// different numbers of updates, time per epoch and progress per epoch.
import { useNodeBackend, loadMnist, trainValTestSplit, Sequential, Flatten, Dense, SGD, setSeed } from 'neurona';

await useNodeBackend({ silent: true });
const { x, y } = await loadMnist({ limit: 700 });
const { xTrain, yTrain, xVal, yVal } = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
const n = xTrain.shape[0];

for (const [name, batchSize] of [['GD', n], ['SGD', 1], ['mini-batch SGD', 32]] as const) {
  setSeed(1);                                     // the same initial weights for all three
  const model = Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })]);
  model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] });
  const t0 = performance.now();
  const H = await model.fit(xTrain, yTrain, { validationData: [xVal, yVal], epochs: 3, batchSize, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  const updates = 3 * Math.ceil(n / batchSize);
  console.log(`${name.padEnd(15)} batch ${String(batchSize).padStart(3)}: ${String(updates).padStart(4)} updates, ` +
    `${seconds.toFixed(2)} s, val_loss ${H.history.val_loss.map((v) => v.toFixed(3)).join(' → ')}`);
  model.dispose();
}
