// Weight initialization: the same ReLU network started from zeros, from a too-wide normal
// distribution and from Glorot uniform (Keras's default). Zeros never break the symmetry between
// units; a too-wide start makes huge activations; Glorot scales the weights to the layer's fans.
import {
  useNodeBackend, loadMnist, trainValTestSplit, Sequential, Flatten, Dense, SGD, setSeed, initializers,
} from 'neurona';

await useNodeBackend({ silent: true });
const { x, y } = await loadMnist({ limit: 1000 });
const { xTrain, yTrain, xVal, yVal } = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });

const starts = {
  zeros: () => initializers.Zeros(),
  'normal, σ = 1': () => initializers.RandomNormal({ stddev: 1, seed: 1 }),
  'Glorot uniform': () => initializers.GlorotUniform({ seed: 1 }),
};
for (const [name, init] of Object.entries(starts)) {
  setSeed(1);
  const model = Sequential([
    Flatten({ inputShape: [28, 28] }),
    Dense(64, { activation: 'relu', kernelInitializer: init() }),
    Dense(64, { activation: 'relu', kernelInitializer: init() }),
    Dense(10, { activation: 'softmax', kernelInitializer: init() }),
  ]);
  model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.05), metrics: ['accuracy'] });
  const H = await model.fit(xTrain, yTrain, { validationData: [xVal, yVal], epochs: 5, batchSize: 32, verbose: 0 });
  console.log(`${name.padEnd(15)} val_accuracy after each epoch: ${H.history.val_accuracy.map((a) => a.toFixed(2)).join(' ')}`);
  model.dispose();
}

// what Glorot uniform draws for a 784 → 64 kernel: uniform in ±√(6 / (784 + 64))
const w = initializers.GlorotUniform({ seed: 7 })([784, 64]);
console.log('limit', Math.sqrt(6 / (784 + 64)).toFixed(4), 'max |w|', (await w.abs().max().data())[0].toFixed(4));
