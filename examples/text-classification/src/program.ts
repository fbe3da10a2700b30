import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useNodeBackend } from '@neurona/backend-node';
import { accuracyScore, classificationReport, historyToSvg } from '@neurona/metrics';
import { EarlyStopping } from '@neurona/models';
import { Adam } from '@neurona/optimizers';
import { dispose, setSeed, tensor } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { loadCorpus } from './corpus';
import { buildModel, describeModel, makeVectorizer, type ModelKind, type ModelSizes } from './models';

const here = dirname(fileURLToPath(import.meta.url));
/** The data folder: the split and the scikit-learn baseline (data/baseline.py). */
export const DATA = join(here, '..', 'data');

/** Settings of a run. */
export interface TextSettings {
  /** `bow` (multi-hot bag of words, the default) or `lstm` (Embedding → Bidirectional(LSTM)). */
  model?: ModelKind;
  /** Epochs at most (lstm stops early once val_loss stops falling, and keeps its best epoch). */
  epochs: number;
  maxTokens: number;
  /** lstm: tokens kept from the start of each mail (default 256). */
  sequenceLength?: number;
  /** lstm: embedding width (default 32). */
  embeddingDim?: number;
  /** lstm: units of each direction (default 32). */
  lstmUnits?: number;
  /** Adam's learning rate (default 0.001 for bow, 0.003 for lstm). */
  learningRate?: number;
  /** Use at most this many mails of each split (the CI test keeps it small); default all. */
  limit?: number;
  /** Where the training curves go (null: not written). */
  svgPath?: string | null;
  log?: (s: string) => void;
}

/** What a run measured. */
export interface TextResult {
  model: ModelKind;
  testAccuracy: number;
  /** Wall-clock seconds of each training epoch (validation included). */
  epochSeconds: number[];
  baselineAccuracy: number;
  report: string;
  vocabularySize: number;
  /** Trainable and non-trainable weights of the model, counted. */
  params: number;
  history: Record<string, number[]>;
}

/**
 * Ham against spam: a `TextVectorization` adapted on the training mails, then either a hidden
 * layer over the multi-hot bag of words (`bow`) or `Embedding` → `Bidirectional(LSTM)` over the
 * first token ids (`lstm`, see `buildModel`), trained with `fit` on the mails as strings (the
 * model's input is `Input({ dtype: 'string' })`), scored on the stratified test split next to
 * scikit-learn's bag-of-words logistic regression on the same split.
 */
export async function main(s: TextSettings): Promise<TextResult> {
  const log = s.log ?? console.log;
  await useNodeBackend();
  setSeed(42);
  const mails = loadCorpus();
  const split = JSON.parse(readFileSync(join(DATA, 'split.json'), 'utf8')) as Record<'train' | 'val' | 'test', number[]>;
  const baseline = JSON.parse(readFileSync(join(DATA, 'baseline.json'), 'utf8')) as { test_accuracy: number; report: string; model: string };
  // a limited run takes evenly spaced mails of each split (the corpus is ordered by group)
  const take = (ids: number[]) => {
    const step = s.limit ? Math.max(1, Math.ceil(ids.length / s.limit)) : 1;
    return ids.filter((_, j) => j % step === 0).map((i) => mails[i]);
  };
  const [train, val, test] = [take(split.train), take(split.val), take(split.test)];
  log(`SpamAssassin: ${mails.length} mails (${mails.filter((m) => m.label === 1).length} spam); train ${train.length}, validation ${val.length}, test ${test.length} (stratified)`);

  const kind = s.model ?? 'bow';
  const sizes: ModelSizes = { maxTokens: s.maxTokens, sequenceLength: s.sequenceLength ?? 256, embeddingDim: s.embeddingDim ?? 32, lstmUnits: s.lstmUnits ?? 32 };
  const tv = makeVectorizer(kind, sizes);
  await tv.adapt(train.map((m) => m.text));
  log(`TextVectorization: ${tv.vocabularySize()} terms (most frequent: ${tv.getVocabulary(false).slice(0, 8).join(', ')})`);
  log(`model (${kind}): ${describeModel(kind, sizes)}`);
  const model = buildModel(kind, tv, sizes);
  model.compile({ loss: 'binary_crossentropy', optimizer: Adam(s.learningRate ?? (kind === 'bow' ? 0.001 : 0.003)), metrics: ['accuracy'] });
  const texts = (ms: typeof train) => ms.map((m) => m.text);
  const labels = (ms: typeof train) => ms.map((m) => [m.label]);
  const params = model.countParams();
  log(`${params} parameters`);
  const epochSeconds: number[] = [];
  let t0 = performance.now();
  const H = await model.fit(texts(train), labels(train), {
    epochs: s.epochs,
    batchSize: 64,
    validationData: [texts(val), labels(val)],
    verbose: 0,
    callbacks: [
      // the LSTM fits the training mails within 2-3 epochs and then overfits: keep its best epoch
      ...(kind === 'lstm' ? [EarlyStopping({ monitor: 'val_loss', patience: 1, restoreBestWeights: true })] : []),
      {
        onEpochBegin: () => void (t0 = performance.now()),
        onEpochEnd: () => void epochSeconds.push((performance.now() - t0) / 1000),
      },
    ],
  });
  const history = H.history as Record<string, number[]>;
  for (let e = 0; e < history.loss.length; e++) {
    log(`epoch ${e + 1}: loss ${history.loss[e].toFixed(4)} accuracy ${history.accuracy[e].toFixed(4)} val_loss ${history.val_loss[e].toFixed(4)} val_accuracy ${history.val_accuracy[e].toFixed(4)} (${epochSeconds[e].toFixed(1)} s)`);
  }
  if (kind === 'lstm') {
    const best = history.val_loss.indexOf(Math.min(...history.val_loss));
    log(`kept the weights of epoch ${best + 1} (lowest val_loss)`);
  }
  if (s.svgPath) {
    writeFileSync(s.svgPath, historyToSvg(H));
    log(`training curves written to ${s.svgPath}`);
  }
  const p = model.predict(texts(test), { batchSize: 256 }) as Tensor;
  const pred = Array.from(await p.data(), (v) => (v > 0.5 ? 1 : 0));
  const yTrue = tensor(test.map((m) => m.label), [test.length], 'int32');
  const yPred = tensor(pred, [pred.length], 'int32');
  const report = (await classificationReport(yTrue, yPred, { targetNames: ['ham', 'spam'], digits: 4 })) as string;
  const testAccuracy = Number(await accuracyScore(yTrue, yPred));
  dispose([p, yTrue, yPred]);
  model.dispose();
  log(report);
  log(`test accuracy: neurona ${testAccuracy.toFixed(4)}; ${baseline.model}: ${baseline.test_accuracy.toFixed(4)}${s.limit ? ' (baseline on the full split)' : ''}`);
  return { model: kind, testAccuracy, epochSeconds, baselineAccuracy: baseline.test_accuracy, report, vocabularySize: tv.vocabularySize(), params, history };
}
