import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useNodeBackend } from '@neurona/backend-node';
import { loadMnist } from '@neurona/datasets';
import { BatchNormalization, Dense, Dropout, Flatten, Input } from '@neurona/layers';
import type { Layer, SymbolicTensor } from '@neurona/layers';
import { Model, Sequential, loadModel, type History, type LayersModel } from '@neurona/models';
import { Adam } from '@neurona/optimizers';
import { accuracyScore, classificationReport, historyToSvg } from '@neurona/metrics';
import { dispose, setSeed, type Tensor } from '@neurona/tensor';
import type { Settings } from './settings';
import { makeTasks } from './tasks';

/** What a run produced, for tests and for callers that want the numbers. */
export interface RunResult {
  backend: string;
  /** Test accuracy of the pretrained model on its own task (digits 0-4, held-out tenth). */
  pretrainAccuracy: number;
  /** Test accuracy on digits 5-9 of the new head on the frozen base (before fine-tuning). */
  headAccuracy: number;
  /** Test accuracy on digits 5-9 of the transferred model (fine-tuned), and of the same network trained from scratch. */
  transferAccuracy: number;
  scratchAccuracy: number;
  /** The transferred model's report on digits 5-9. */
  report: string;
  /** True when training the head left every weight of the frozen base as it was. */
  baseUnchanged: boolean;
  /** Largest difference between the predictions of the transferred model and of its saved and reloaded copy. */
  reloadDifference: number;
  /** The head's training history (base frozen). */
  history: History;
  /** The transferred model's summary, as printed. */
  summary: string;
  /** Where the pretrained and the transferred models were saved, and the curves written. */
  pretrainedPath: string;
  transferPath: string;
  svgPath: string;
}

/** The network of both the pretrained base and the from-scratch baseline: the same layers. */
function network(name: string): LayersModel {
  return Sequential({
    name,
    layers: [
      Flatten({ inputShape: [28, 28], name: 'flatten' }),
      Dense(128, { activation: 'relu', name: 'hidden' }),
      BatchNormalization({ name: 'norm' }),
      Dropout(0.3, { name: 'dropout' }),
      Dense(64, { activation: 'relu', name: 'features' }),
      Dense(5, { activation: 'softmax', name: 'classes' }),
    ],
  });
}

async function accuracyOf(model: LayersModel, x: Tensor, y: Tensor): Promise<{ accuracy: number; yTrue: number[]; yPred: number[] }> {
  const p = model.predict(x, { batchSize: 256 }) as Tensor;
  const [t, q] = [y.argMax(1), p.argMax(1)];
  const yTrue = Array.from(await t.data());
  const yPred = Array.from(await q.data());
  dispose([p, t, q]);
  return { accuracy: accuracyScore(yTrue, yPred), yTrue, yPred };
}

async function values(ws: Tensor[]): Promise<number[][]> {
  return Promise.all(ws.map(async (w) => Array.from(await w.data())));
}

/**
 * Keras's transfer-learning recipe on MNIST: a network trained on the digits 0-4 is saved, loaded
 * back, cut below its classifier and frozen; a new model calls it as a layer (`base(x, { training:
 * false })`) under a new head for the digits 5-9, trained from a few labels per class, then fine-
 * tuned with the base unfrozen at a low learning rate. The same network trained from scratch on
 * the same few labels is the baseline. The transferred model (a model inside a model) is saved and
 * loaded back too.
 */
export async function main(settings: Settings): Promise<RunResult> {
  const { pretrainEpochs, headEpochs, fineTuneEpochs, labelsPerClass, samples, seed, outDir } = settings;
  const { chosen } = await useNodeBackend();
  setSeed(seed);

  console.log(`[INFO]: Loading ${samples < 10_000 ? `${samples} of ` : ''}the embedded MNIST digits...`);
  const { x: images, y: labels } = await loadMnist({ limit: samples });
  const tasks = await makeTasks(images, labels, labelsPerClass, seed);
  dispose([images, labels]);
  console.log(
    `[INFO]: task A (pretraining): ${tasks.pretrain.x.shape[0]} digits 0-4; task B: ${tasks.train.x.shape[0]} labelled digits 5-9 ` +
      `(${labelsPerClass} per class), ${tasks.test.x.shape[0]} for testing`,
  );

  // 1. A base trained on the large task, then saved (weights, BatchNormalization statistics and all)
  console.log('[INFO]: Pretraining on the digits 0-4...');
  const pretrained = network('digits_0_4');
  pretrained.compile({ loss: 'categorical_crossentropy', optimizer: Adam(1e-3), metrics: ['accuracy'] });
  await pretrained.fit(tasks.pretrain.x, tasks.pretrain.y, { epochs: pretrainEpochs, batchSize: 128, validationSplit: 0.1, verbose: 2 });
  const nVal = Math.floor(tasks.pretrain.x.shape[0] * 0.1);
  const held = [tasks.pretrain.x, tasks.pretrain.y].map((t) => t.slice(t.shape[0] - nVal, nVal));
  const pretrainAccuracy = (await accuracyOf(pretrained, held[0], held[1])).accuracy;
  dispose(held);
  const pretrainedPath = join(outDir, 'pretrained-digits-0-4');
  await pretrained.save(pretrainedPath);
  pretrained.dispose();
  console.log(`[INFO]: accuracy on held-out digits 0-4: ${pretrainAccuracy.toFixed(4)}; saved to ${pretrainedPath}`);

  // 2. Loaded back, cut below its classifier, frozen
  const loaded = await loadModel(pretrainedPath);
  const base = Model({ inputs: loaded.inputs, outputs: loaded.getLayer('features').output as SymbolicTensor, name: 'base' });
  base.trainable = false;

  // 3. A new model with the base as one layer and a new head
  const inputs = Input({ shape: [28, 28], name: 'digit' });
  // training: false keeps the base's BatchNormalization in inference mode, even when fine-tuned (Keras's advice)
  let h = base(inputs, { training: false });
  h = Dropout(0.2, { name: 'head_dropout' })(h);
  const transfer = Model({ inputs, outputs: Dense(5, { activation: 'softmax', name: 'classes_5_9' })(h), name: 'transfer' });
  const lines: string[] = [];
  transfer.summary({ printFn: (l) => (lines.push(l), console.log(l)) });

  console.log(`[INFO]: Training the new head on ${tasks.train.x.shape[0]} labelled digits, base frozen...`);
  const before = await values(base.weights);
  const headOptimizer = Adam(1e-2);
  transfer.compile({ loss: 'categorical_crossentropy', optimizer: headOptimizer, metrics: ['accuracy'] });
  const history = await transfer.fit(tasks.train.x, tasks.train.y, { epochs: headEpochs, batchSize: 32, verbose: 0 });
  const after = await values(base.weights);
  const baseUnchanged = before.every((w, i) => w.every((v, j) => v === after[i][j]));
  const headAccuracy = (await accuracyOf(transfer, tasks.test.x, tasks.test.y)).accuracy;
  console.log(
    `[INFO]: head trained: loss ${history.history.loss[0].toFixed(3)} → ${history.history.loss.at(-1)?.toFixed(3)}, ` +
      `test accuracy ${headAccuracy.toFixed(4)}; base weights unchanged: ${baseUnchanged}`,
  );
  if (fineTuneEpochs > 0) {
    console.log('[INFO]: Fine-tuning with the base unfrozen...');
    base.trainable = true;
    transfer.compile({ loss: 'categorical_crossentropy', optimizer: Adam(1e-3), metrics: ['accuracy'] });
    // an optimizer given as an object stays its owner's: the replaced one's state is released here
    headOptimizer.dispose();
    await transfer.fit(tasks.train.x, tasks.train.y, { epochs: fineTuneEpochs, batchSize: 32, verbose: 0 });
  }

  // 4. The baseline: the same network from scratch, on the same few labels, as many epochs
  console.log('[INFO]: Training the same network from scratch on the same labels...');
  const scratch = network('from_scratch');
  scratch.compile({ loss: 'categorical_crossentropy', optimizer: Adam(1e-3), metrics: ['accuracy'] });
  await scratch.fit(tasks.train.x, tasks.train.y, { epochs: headEpochs + fineTuneEpochs, batchSize: 32, verbose: 0 });

  // 5. Both on the held-out digits 5-9
  const t = await accuracyOf(transfer, tasks.test.x, tasks.test.y);
  const s = await accuracyOf(scratch, tasks.test.x, tasks.test.y);
  const report = classificationReport(t.yTrue, t.yPred, { targetNames: ['5', '6', '7', '8', '9'] });
  console.log(report);
  console.log(
    `[INFO]: test accuracy on digits 5-9 from ${labelsPerClass} labels per class: frozen base + new head ${headAccuracy.toFixed(4)}, ` +
      `fine-tuned ${t.accuracy.toFixed(4)}, same network from scratch ${s.accuracy.toFixed(4)}`,
  );

  // 6. The transferred model, a model inside a model, saved and loaded back
  const transferPath = join(outDir, 'transfer-digits-5-9');
  await transfer.save(transferPath);
  const reloaded = await loadModel(transferPath);
  const [p1, p2] = [transfer.predict(tasks.test.x) as Tensor, reloaded.predict(tasks.test.x) as Tensor];
  const [v1, v2] = [Array.from(await p1.data()), Array.from(await p2.data())];
  const reloadDifference = v1.reduce((m, v, i) => Math.max(m, Math.abs(v - v2[i])), 0);
  console.log(`[INFO]: saved to ${transferPath} and loaded back (nested base "${(reloaded.getLayer('base') as Layer).name}"): predictions differ by at most ${reloadDifference}`);

  const svgPath = join(outDir, 'training-curves.svg');
  writeFileSync(svgPath, historyToSvg(history));
  console.log(`[INFO]: Training curves of the head written to ${svgPath}`);

  dispose([p1, p2, tasks.pretrain.x, tasks.pretrain.y, tasks.train.x, tasks.train.y, tasks.test.x, tasks.test.y]);
  for (const m of [transfer, loaded, scratch, reloaded]) m.dispose();
  return {
    backend: chosen,
    pretrainAccuracy,
    headAccuracy,
    transferAccuracy: t.accuracy,
    scratchAccuracy: s.accuracy,
    report,
    baseUnchanged,
    reloadDifference,
    history,
    summary: lines.join('\n'),
    pretrainedPath,
    transferPath,
    svgPath,
  };
}
