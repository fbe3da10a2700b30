// Data: the embedded MNIST digits, and @neurona/data's lazy datasets for data that does not fit
// in memory at once (arrays, generators, streams, CSV, IDX and image folders).
import { useNodeBackend, loadMnist, Sequential, Flatten, Dense, Adam, dispose } from 'neurona';
import { fromArrays } from '@neurona/data';

await useNodeBackend({ silent: true });

// x: [n, 28, 28] in [0, 1]; y: one-hot [n, 10]. `limit` takes a class-balanced prefix.
const { x, y } = await loadMnist({ limit: 500 });
console.log(x.shape, y.shape);

// the same data as a pipeline: shuffled each pass, batched, prefetched
const batches = fromArrays(x, y).shuffle(500, { seed: 1 }).batch(50).prefetch(2);
const model = Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })]);
model.compile({ loss: 'categorical_crossentropy', optimizer: Adam(0.01), metrics: ['accuracy'] });
for (let epoch = 1; epoch <= 2; epoch++) {
  for await (const batch of batches) {
    await model.trainOnBatch(batch.x, batch.y);
    dispose([batch.x, batch.y]);
  }
  console.log(`epoch ${epoch}:`, await model.evaluate(x, y, { returnDict: true, verbose: 0 }));
}
