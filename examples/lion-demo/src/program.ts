import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import '@neurona-contrib/optimizer-lion'; // registers 'lion' with @neurona/optimizers: nothing else to do
import { useNodeBackend } from '@neurona/backend-node';
import { loadMnist } from '@neurona/datasets';
import { trainValTestSplit } from '@neurona/data-split';
import { Sequential, type History } from '@neurona/models';
import { Dense, Flatten } from '@neurona/layers';
import { accuracyScore, historyToSvg } from '@neurona/metrics';
import { setSeed, type Tensor } from '@neurona/tensor';
import type { Settings } from './settings';

/** One optimizer's run. */
export interface OptimizerRun {
  optimizer: string;
  config: Record<string, unknown>;
  history: History;
  testAccuracy: number;
  secondsPerEpoch: number;
}

/** What the demo produced. */
export interface DemoResult {
  runs: OptimizerRun[];
  svgPath: string;
}

/**
 * The same MLP (784-128-10, ReLU) from the same initial weights, compiled once with `'adam'` and
 * once with `'lion'`: a contributed optimizer is used by name exactly like a built-in one.
 */
export async function main(settings: Settings): Promise<DemoResult> {
  const { epochs, samples, seed, outDir } = settings;
  await useNodeBackend();
  const { x, y } = await loadMnist({ limit: samples });
  const { xTrain, yTrain, xVal, yVal, xTest, yTest } = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed });

  const runs: OptimizerRun[] = [];
  for (const optimizer of ['adam', 'lion']) {
    setSeed(seed); // the same initial weights for both optimizers
    const model = Sequential();
    model.add(Flatten({ inputShape: [28, 28] }));
    model.add(Dense(128, { activation: 'relu' }));
    model.add(Dense(10, { activation: 'softmax' }));
    model.compile({ loss: 'categorical_crossentropy', optimizer, metrics: ['accuracy'] });
    const config = (model.optimizer as NonNullable<typeof model.optimizer>).getConfig();
    console.log(`[INFO]: optimizer: '${optimizer}' → ${model.optimizer?.className} ${JSON.stringify(config)}`);
    const started = performance.now();
    const H = await model.fit(xTrain, yTrain, { validationData: [xVal, yVal], epochs, batchSize: 128 });
    const secondsPerEpoch = (performance.now() - started) / 1000 / H.epoch.length;
    const predictions = model.predict(xTest, { batchSize: 128 }) as Tensor;
    // class indices read with await: GPU backends cannot read synchronously
    const [yTrue, yPred] = [yTest.argMax(1), predictions.argMax(1)];
    const testAccuracy = accuracyScore(await yTrue.data(), await yPred.data());
    for (const t of [predictions, yTrue, yPred]) t.dispose();
    model.dispose();
    runs.push({ optimizer, config, history: H, testAccuracy, secondsPerEpoch });
  }

  console.log(`\n${'optimizer'.padEnd(12)}${'learning rate'.padStart(14)}${'test accuracy'.padStart(15)}${'s/epoch'.padStart(9)}`);
  for (const r of runs) {
    console.log(
      `${r.optimizer.padEnd(12)}${String(r.config.learningRate).padStart(14)}${r.testAccuracy.toFixed(4).padStart(15)}${r.secondsPerEpoch.toFixed(2).padStart(9)}`,
    );
  }
  const svgPath = join(outDir, 'training-curves.svg');
  writeFileSync(svgPath, historyToSvg(runs[1].history, { title: "Lion: loss and accuracy" }));
  console.log(`[INFO]: Lion's training curves written to ${svgPath}`);

  for (const t of [x, y, xTrain, yTrain, xVal, yVal, xTest, yTest]) t.dispose();
  return { runs, svgPath };
}
