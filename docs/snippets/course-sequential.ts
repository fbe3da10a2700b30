// The course's Sequential program (session 3), line by line in TypeScript.
import {
  useNodeBackend, loadMnist, trainValTestSplit, Sequential, Flatten, Dense, SGD, classificationReport,
} from 'neurona';

await useNodeBackend();
const { x, y } = await loadMnist({ limit: 2000 });
const { xTrain: xTr, yTrain: yTr, xVal, yVal, xTest: xTe, yTest: yTe } =
  trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
const [lr, nEpochs, batchSize] = [0.1, 5, 32];

// Implementamos la red empleando Keras
const model = Sequential();                                    // Instancia de modelo API secuencial
model.add(Flatten({ inputShape: [28, 28] }));                  // Estiramos los datos en forma de vector
model.add(Dense(10, { activation: 'softmax' }));               // Perceptrón simple: una única capa Dense

// Compilamos y entrenamos el modelo SGD
console.log('[INFO]: Entrenando red neuronal...');
model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(lr), metrics: ['accuracy'] });
const H = await model.fit(xTr, yTr, { validationData: [xVal, yVal], epochs: nEpochs, batchSize });

// Evaluando el modelo de predicción con las imágenes de test
console.log('[INFO]: Evaluando red neuronal...');
const predictions = model.predict(xTe, { batchSize });
console.log(classificationReport(await yTe.argMax(1).data(), await predictions.argMax(1).data()));
console.log(H.history.val_accuracy);
