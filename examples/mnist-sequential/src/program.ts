import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useNodeBackend } from '@neurona/backend-node';
import { loadMnist } from '@neurona/datasets';
import { trainValTestSplit } from '@neurona/data-split';
import { Sequential, advise, type History } from '@neurona/models';
import { Dense, Flatten } from '@neurona/layers';
import { Adam, SGD } from '@neurona/optimizers';
import { accuracyScore, classificationReport, historyToSvg } from '@neurona/metrics';
import { setSeed, type Tensor } from '@neurona/tensor';
import type { Settings } from './settings';

/** What a run produced, for tests and for callers that want the numbers. */
export interface RunResult {
  /** The backend `useNodeBackend` chose. */
  backend: string;
  history: History;
  /** scikit-learn's text report of the test split. */
  report: string;
  testAccuracy: number;
  /** Wall-clock seconds of `fit` divided by the epochs (validation included). */
  secondsPerEpoch: number;
  /** Where the training curves were written. */
  svgPath: string;
}

/**
 * The course's Sequential program (session 3, "Librería Keras: Secuencial"), line by line: a
 * softmax perceptron on MNIST trained with SGD, evaluated with a classification report; or, with
 * `model: 'mlp'`, the same with one hidden ReLU layer of 128 units trained with Adam.
 */
export async function main(settings: Settings): Promise<RunResult> {
  const { model: kind, epochs: nEpochs, batchSize, learningRate: lr, samples, seed, outDir } = settings;

  const { chosen } = await useNodeBackend(); // GPU if present, else the fastest CPU backend; logs why
  setSeed(seed); // the same weights on every run

  console.log(`[INFO]: Loading ${samples < 10_000 ? `${samples} of ` : ''}the embedded MNIST digits...`);
  const { x, y } = await loadMnist({ limit: samples });
  const { xTrain: xTr, yTrain: yTr, xVal, yVal, xTest: xTe, yTest: yTe } =
    trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed });
  console.log(`[INFO]: train ${xTr.shape[0]}, validation ${xVal.shape[0]}, test ${xTe.shape[0]} digits`);

  // Implementamos la red empleando Keras
  const model = Sequential(); // Instancia de modelo API secuencial
  model.add(Flatten({ inputShape: [28, 28] })); // Estiramos los datos en forma de vector
  if (kind === 'mlp') model.add(Dense(128, { activation: 'relu' })); // one hidden layer: ReLU, as the course advises
  model.add(Dense(10, { activation: 'softmax' })); // Perceptrón simple: una única capa Dense
  model.summary();

  // Compilamos y entrenamos el modelo SGD
  console.log('[INFO]: Training the network...');
  model.compile({ loss: 'categorical_crossentropy', optimizer: kind === 'mlp' ? Adam(lr) : SGD(lr), metrics: ['accuracy'] });
  // fit prints the advisor's findings itself (the course's "Consejos"); say so when there are none
  if (advise(model, { batchSize, epochs: nEpochs }).length === 0) console.log('[INFO]: Advisor: nothing to flag in this model and these settings.');
  const started = performance.now();
  const H = await model.fit(xTr, yTr, { validationData: [xVal, yVal], epochs: nEpochs, batchSize: batchSize });
  const secondsPerEpoch = (performance.now() - started) / 1000 / H.epoch.length;

  // Evaluando el modelo de predicción con las imágenes de test
  console.log('[INFO]: Evaluating the network...');
  const predictions = model.predict(xTe, { batchSize: batchSize }) as Tensor;
  const yTrue = yTe.argMax(1);
  const yPred = predictions.argMax(1);
  // read back with await: GPU backends (WebGPU) cannot read tensors synchronously
  const report = classificationReport(await yTrue.data(), await yPred.data());
  console.log(report);
  const testAccuracy = accuracyScore(await yTrue.data(), await yPred.data());

  const svgPath = join(outDir, 'training-curves.svg');
  writeFileSync(svgPath, historyToSvg(H)); // as the course plots H.history
  console.log(`[INFO]: ${nEpochs} epochs, ${secondsPerEpoch.toFixed(2)} s per epoch; test accuracy ${testAccuracy.toFixed(4)}`);
  console.log(`[INFO]: Training curves written to ${svgPath}`);

  for (const t of [x, y, xTr, yTr, xVal, yVal, xTe, yTe, predictions, yTrue, yPred]) t.dispose();
  model.dispose();
  return { backend: chosen, history: H, report, testAccuracy, secondsPerEpoch, svgPath };
}
