import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useNodeBackend } from '@neurona/backend-node';
import { loadMnist } from '@neurona/datasets';
import { trainValTestSplit } from '@neurona/data-split';
import { Sequential, type History } from '@neurona/models';
import { Conv2D, Dense, Dropout, Flatten, Input, MaxPooling2D } from '@neurona/layers';
import { Adam } from '@neurona/optimizers';
import { accuracyScore, classificationReport, historyToSvg } from '@neurona/metrics';
import { reshape, setSeed, type Tensor } from '@neurona/tensor';
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
 * Keras's "Simple MNIST convnet" (keras.io/examples/vision/mnist_convnet), line by line, on the
 * digits embedded in @neurona/datasets with the main job's stratified 0.7 / 0.1 / 0.2 split.
 */
export async function main(settings: Settings): Promise<RunResult> {
  const { epochs, batchSize, learningRate, samples, seed, outDir } = settings;

  const { chosen } = await useNodeBackend(); // GPU if present, else the fastest CPU backend; logs why
  setSeed(seed); // the same weights and dropout masks on every run

  console.log(`[INFO]: Loading ${samples < 10_000 ? `${samples} of ` : ''}the embedded MNIST digits...`);
  const { x, y } = await loadMnist({ limit: samples });
  // Keras: x_train = np.expand_dims(x_train, -1), images of shape (28, 28, 1)
  const images = reshape(x, [x.shape[0], 28, 28, 1]);
  const { xTrain, yTrain, xVal, yVal, xTest, yTest } = trainValTestSplit(images, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed });
  console.log(`[INFO]: train ${xTrain.shape[0]}, validation ${xVal.shape[0]}, test ${xTest.shape[0]} digits`);

  const model = Sequential();
  model.add(Input({ shape: [28, 28, 1] }));
  model.add(Conv2D(32, [3, 3], { activation: 'relu' }));
  model.add(MaxPooling2D({ poolSize: [2, 2] }));
  model.add(Conv2D(64, [3, 3], { activation: 'relu' }));
  model.add(MaxPooling2D({ poolSize: [2, 2] }));
  model.add(Flatten());
  model.add(Dropout(0.5));
  model.add(Dense(10, { activation: 'softmax' }));
  model.summary();

  model.compile({ loss: 'categorical_crossentropy', optimizer: Adam(learningRate), metrics: ['accuracy'] });
  console.log('[INFO]: Training the network...');
  const started = performance.now();
  const H = await model.fit(xTrain, yTrain, { validationData: [xVal, yVal], epochs, batchSize });
  const secondsPerEpoch = (performance.now() - started) / 1000 / H.epoch.length;

  console.log('[INFO]: Evaluating the network...');
  const predictions = model.predict(xTest, { batchSize }) as Tensor;
  const yTrue = yTest.argMax(1);
  const yPred = predictions.argMax(1);
  // read back with await: GPU backends (WebGPU) cannot read tensors synchronously
  const [trueLabels, predLabels] = [await yTrue.data(), await yPred.data()];
  const report = classificationReport(trueLabels, predLabels);
  console.log(report);
  const testAccuracy = accuracyScore(trueLabels, predLabels);

  const svgPath = join(outDir, 'training-curves.svg');
  writeFileSync(svgPath, historyToSvg(H));
  console.log(`[INFO]: ${epochs} epochs, ${secondsPerEpoch.toFixed(2)} s per epoch; test accuracy ${testAccuracy.toFixed(4)}`);
  console.log(`[INFO]: Training curves written to ${svgPath}`);

  for (const t of [x, y, images, xTrain, yTrain, xVal, yVal, xTest, yTest, predictions, yTrue, yPred]) t.dispose();
  model.dispose();
  return { backend: chosen, history: H, report, testAccuracy, secondsPerEpoch, svgPath };
}
