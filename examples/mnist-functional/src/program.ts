import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useNodeBackend } from '@neurona/backend-node';
import { loadMnist } from '@neurona/datasets';
import { trainValTestSplit } from '@neurona/data-split';
import { Model, advise, type History } from '@neurona/models';
import { Dense, Flatten, Input } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
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
 * The course's Functional program (session 3, "Librería Keras: Funcional"), line by line: an
 * `Input`, layers called on it one after the other, and `Model({ inputs, outputs })`; then the same
 * compile / fit / predict / classification report as the Sequential one.
 */
export async function main(settings: Settings): Promise<RunResult> {
  const { epochs: nEpochs, batchSize, learningRate: lr, samples, seed, outDir } = settings;

  const { chosen } = await useNodeBackend(); // GPU if present, else the fastest CPU backend; logs why
  setSeed(seed); // the same weights on every run

  console.log(`[INFO]: Loading ${samples < 10_000 ? `${samples} of ` : ''}the embedded MNIST digits...`);
  const { x: images, y: labels } = await loadMnist({ limit: samples });
  const { xTrain: xTr, yTrain: yTr, xVal, yVal, xTest: xTe, yTest: yTe } =
    trainValTestSplit(images, labels, { valSize: 0.1, testSize: 0.2, stratify: true, seed });
  console.log(`[INFO]: train ${xTr.shape[0]}, validation ${xVal.shape[0]}, test ${xTe.shape[0]} digits`);

  // Implementamos la red empleando Keras (modelo funcional)
  const inputs = Input({ shape: [28, 28] });
  let x = Flatten({ inputShape: [784] })(inputs); // (the course passes input_shape here too; Input already fixes it)
  x = Dense(10, { activation: 'softmax' })(x);
  const model = Model({ inputs, outputs: x });
  model.summary();

  // Compilamos y entrenamos el modelo SGD
  console.log('[INFO]: Training the network...');
  model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(lr), metrics: ['accuracy'] });
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

  for (const t of [images, labels, xTr, yTr, xVal, yVal, xTe, yTe, predictions, yTrue, yPred]) t.dispose();
  model.dispose();
  return { backend: chosen, history: H, report, testAccuracy, secondsPerEpoch, svgPath };
}
