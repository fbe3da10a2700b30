// The course's first program in TypeScript: a softmax perceptron on MNIST digits, trained with
// SGD, evaluated with scikit-learn's classification report, its layer graph and its training
// curves written as SVG pictures.
import { writeFileSync } from 'node:fs';
import {
  useNodeBackend, loadMnist, trainValTestSplit, Sequential, Flatten, Dense, SGD,
  classificationReport, historyToSvg, plotModel, setSeed,
} from 'neurona';

await useNodeBackend();            // GPU if there is one, else multi-threaded WebAssembly; says which
setSeed(42);                       // the same weights and splits on every run

const { x, y } = await loadMnist({ limit: 2000 });   // 2,000 of the 10,000 embedded digits
const { xTrain, yTrain, xVal, yVal, xTest, yTest } =
  trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });

const model = Sequential();
model.add(Flatten({ inputShape: [28, 28] }));
model.add(Dense(10, { activation: 'softmax' }));
model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] });
model.summary();
writeFileSync('model.svg', plotModel(model));

const H = await model.fit(xTrain, yTrain, { validationData: [xVal, yVal], epochs: 5, batchSize: 32 });
writeFileSync('training-curves.svg', historyToSvg(H));

const predictions = model.predict(xTest, { batchSize: 128 });
// `await ... .data()`: on a GPU backend tensors can only be read asynchronously
console.log(classificationReport(await yTest.argMax(1).data(), await predictions.argMax(1).data()));
