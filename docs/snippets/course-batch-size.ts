// The batch size: the same model, learning rate and epochs, with batches of 1 to the whole
// training set. Small batches make many noisy updates per epoch (slow epochs, fast progress per
// epoch); large ones few smooth updates (fast epochs, slow progress). Writes batch-size.json.
import { writeFileSync } from 'node:fs';
import { useNodeBackend, loadMnist, trainValTestSplit, Sequential, Flatten, Dense, SGD, setSeed } from 'neurona';

await useNodeBackend({ silent: true });
const { x, y } = await loadMnist({ limit: 1000 });
const { xTrain, yTrain, xVal, yVal } = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
const n = xTrain.shape[0];

const series = [];
for (const batchSize of [1, 8, 32, 128, n]) {
  setSeed(1);
  const model = Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })]);
  model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.05), metrics: ['accuracy'] });
  const t0 = performance.now();
  const H = await model.fit(xTrain, yTrain, { validationData: [xVal, yVal], epochs: 8, batchSize, verbose: 0 });
  const perEpoch = (performance.now() - t0) / 1000 / 8;
  const label = batchSize === n ? `${n} (GD)` : String(batchSize);
  console.log(`batch ${label.padEnd(8)} ${perEpoch.toFixed(3)} s/epoch  val_loss ${H.history.val_loss.map((v) => v.toFixed(2)).join(' ')}`);
  series.push({ label: `batch ${label}`, points: H.history.val_loss.map((v, epoch) => [epoch + 1, v]) });
  model.dispose();
}
writeFileSync('batch-size.json', JSON.stringify({ title: 'Validation loss per epoch, by batch size (SGD, η = 0.05)', x: 'epoch', y: 'validation loss', logY: false, series }));
