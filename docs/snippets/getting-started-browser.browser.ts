// A web page's script (bundled by Vite): the same model code as in Node, on the best backend the
// browser has. `neurona` resolves to its browser build, with @neurona/backend-web inside.
import { useWebBackend, datasets, trainValTestSplit, Sequential, Flatten, Dense, Adam, plotModel } from 'neurona';
import { wasmPaths } from 'neurona/vite';           // the wasm backend's binaries, as assets of the app
import mnistUrl from '@neurona/datasets/mnist-10k.bin?url';  // the 10,000 digits, as an asset (Vite)

const { chosen } = await useWebBackend({ wasmPaths });   // WebGPU, WebGL, wasm or cpu
document.querySelector('#backend')!.textContent = chosen;

const bytes = await (await fetch(mnistUrl)).arrayBuffer();
const { x, y } = datasets.mnistFromBinary(bytes, { limit: 2000 });
const { xTrain, yTrain, xVal, yVal } = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });

const model = Sequential();
model.add(Flatten({ inputShape: [28, 28] }));
model.add(Dense(128, { activation: 'relu' }));
model.add(Dense(10, { activation: 'softmax' }));
model.compile({ loss: 'categorical_crossentropy', optimizer: Adam(0.001), metrics: ['accuracy'] });
document.querySelector('#model')!.innerHTML = plotModel(model);

await model.fit(xTrain, yTrain, {
  validationData: [xVal, yVal], epochs: 3, batchSize: 32,
  callbacks: [{ onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: val_accuracy ${logs?.val_accuracy}`) }],
});
