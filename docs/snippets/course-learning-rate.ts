// The learning rate: the same perceptron trained with SGD at five learning rates, from far too
// small to far too large. Prints the validation loss per epoch and writes the curves
// (learning-rate.json) for plotting: the site's picture is drawn from this program's output.
import { writeFileSync } from 'node:fs';
import { useNodeBackend, loadMnist, trainValTestSplit, Sequential, Flatten, Dense, SGD, setSeed } from 'neurona';

await useNodeBackend({ silent: true });
const { x, y } = await loadMnist({ limit: 2000 });
const { xTrain, yTrain, xVal, yVal } = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });

const series = [];
for (const lr of [0.001, 0.01, 0.1, 1, 10]) {
  setSeed(1);                                     // same initial weights: only η changes
  const model = Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })]);
  model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(lr), metrics: ['accuracy'] });
  const H = await model.fit(xTrain, yTrain, { validationData: [xVal, yVal], epochs: 10, batchSize: 32, verbose: 0 });
  const valLoss = H.history.val_loss;
  console.log(`η = ${String(lr).padEnd(5)} val_loss ${valLoss.map((v) => v.toFixed(2)).join(' ')}  val_accuracy ${H.history.val_accuracy.at(-1)?.toFixed(3)}`);
  series.push({ label: `η = ${lr}`, points: valLoss.map((v, epoch) => [epoch + 1, v]) });
  model.dispose();
}
writeFileSync('learning-rate.json', JSON.stringify({ title: 'Validation loss per epoch, by learning rate', x: 'epoch', y: 'validation loss', logY: true, series }));
