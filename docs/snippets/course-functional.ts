// The course's functional program: an input, each layer called on the previous one's output,
// then a Model from the inputs to the outputs.
import {
  useNodeBackend, loadMnist, trainValTestSplit, Input, Flatten, Dense, Model, SGD, classificationReport,
} from 'neurona';

await useNodeBackend();
const { x, y } = await loadMnist({ limit: 2000 });
const { xTrain: xTr, yTrain: yTr, xVal, yVal, xTest: xTe, yTest: yTe } =
  trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });

// Implementamos la red empleando Keras (modelo funcional)
const inputs = Input({ shape: [28, 28] });
let h = Flatten()(inputs);
h = Dense(10, { activation: 'softmax' })(h);
const model = Model({ inputs, outputs: h });

model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] });
await model.fit(xTr, yTr, { validationData: [xVal, yVal], epochs: 5, batchSize: 32 });
const predictions = model.predict(xTe, { batchSize: 32 });
console.log(classificationReport(await yTe.argMax(1).data(), await predictions.argMax(1).data()));
