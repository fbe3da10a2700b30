// Training on files streamed from disk: nothing below holds the data set in memory. The IDX
// files are read incrementally (gunzipped as they stream), shuffled in a buffer, batched and
// prefetched; the CSV file is parsed row by row.
import { useNodeBackend } from '@neurona/backend-node';
import { csv, idx, zip, type Dataset, type TensorBufferLike } from '@neurona/data';
import { Sequential, type History } from '@neurona/models';
import { Dense } from '@neurona/layers';
import { Adam } from '@neurona/optimizers';
import { getBackendInfo, memory, setSeed } from '@neurona/tensor';
import { ensureDigitFiles, digitFiles, type DigitFiles } from './files';

/** Options of a run. */
export interface Settings {
  /** A directory with the four official MNIST IDX `.gz` files and `digits.csv`; written from the embedded digits when missing. */
  dir: string;
  epochs: number;
  batchSize: number;
  /** Elements in the shuffle buffer (the stream is never read whole to shuffle). */
  shuffleBuffer: number;
  seed: number;
  /** Where progress lines go. */
  print?: (line: string) => void;
}

/** What a run measured. */
export interface RunResult {
  backend: string;
  idxHistory: History;
  idxTestAccuracy: number;
  csvHistory: History;
  csvTestAccuracy: number;
  /** The largest resident set size seen while training, in MB. */
  peakRssMb: number;
  /** Tensors alive after both runs minus before (0: nothing leaked). */
  tensorsLeaked: number;
}

/** `{ x: pixels in [0, 1], y: class }` from an IDX image record and its label record. */
function digit({ x, y }: { x: TensorBufferLike; y: TensorBufferLike }): { x: Float32Array; y: number } {
  return { x: Float32Array.from(x.values as ArrayLike<number>, (v) => v / 255), y: Number(y.values[0]) };
}

/** The IDX images and labels of one split, zipped, as `{ x, y }` digits. */
export function idxDigits(images: string, labels: string): Dataset<{ x: Float32Array; y: number }> {
  return zip({ x: idx(images), y: idx(labels) }).map(digit);
}

/** Kaggle's digit CSV (label, then 784 pixels) as `{ x, y }` digits; a bad row fails with its line number. */
export function csvDigits(path: string): Dataset<{ x: Float32Array; y: number }> {
  return csv(path, { labelColumns: ['label'], features: 'array' }).map(({ x, y }) => ({ x: x.map((v) => v / 255), y: Number(y) }));
}

function model(seed: number) {
  setSeed(seed);
  const m = Sequential([Dense(128, { activation: 'relu', inputShape: [784] }), Dense(10, { activation: 'softmax' })]);
  m.compile({ optimizer: Adam(1e-3), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;

/**
 * Train on the IDX files, then train a second model on the CSV file; both are tested on the IDX
 * test split. Runs on the current backend (`main` picks one with `useNodeBackend`).
 */
export async function run(s: Settings, files: DigitFiles = digitFiles(s.dir)): Promise<RunResult> {
  const print = s.print ?? ((line: string) => console.log(line));
  const backend = getBackendInfo().name;
  print(`backend: ${backend}`);
  const before = memory().numTensors;
  let peak = rssMb();
  const watch = setInterval(() => (peak = Math.max(peak, rssMb())), 100);
  const memoryLine = {
    onEpochEnd: (epoch: number, logs?: Record<string, number>) => {
      peak = Math.max(peak, rssMb());
      print(`  epoch ${epoch + 1}: loss ${logs?.loss.toFixed(4)}, val_accuracy ${logs?.val_accuracy.toFixed(4)}, rss ${rssMb().toFixed(0)} MB, tensors ${memory().numTensors}`);
    },
  };
  try {
    // 1. IDX files: shuffled through a buffer, batched, prefetched while the model trains
    const train = idxDigits(files.trainImages, files.trainLabels).shuffle(s.shuffleBuffer, { seed: s.seed }).batch(s.batchSize).prefetch(2);
    const test = idxDigits(files.testImages, files.testLabels).batch(256);
    print(`IDX: ${files.trainImages} (${train.size} batches of ${s.batchSize}), shuffle buffer ${s.shuffleBuffer}, prefetch 2`);
    const a = model(s.seed);
    const idxHistory = await a.fit(train, { epochs: s.epochs, validationData: test, verbose: 0, callbacks: [memoryLine] });
    const idxTest = (await a.evaluate(test, { returnDict: true })) as Record<string, number>;
    print(`IDX model: test accuracy ${idxTest.accuracy.toFixed(4)}`);
    a.dispose();

    // 2. CSV file: parsed as it streams, same pipeline
    const csvTrain = csvDigits(files.csv).shuffle(s.shuffleBuffer, { seed: s.seed }).batch(s.batchSize).prefetch(2);
    print(`CSV: ${files.csv}`);
    const b = model(s.seed);
    const csvHistory = await b.fit(csvTrain, { epochs: s.epochs, validationData: test, verbose: 0, callbacks: [memoryLine] });
    const csvTest = (await b.evaluate(test, { returnDict: true })) as Record<string, number>;
    print(`CSV model: test accuracy ${csvTest.accuracy.toFixed(4)}`);
    b.dispose();

    peak = Math.max(peak, rssMb());
    const tensorsLeaked = memory().numTensors - before;
    print(`peak resident memory ${peak.toFixed(0)} MB; tensors leaked: ${tensorsLeaked}`);
    return { backend, idxHistory, idxTestAccuracy: idxTest.accuracy, csvHistory, csvTestAccuracy: csvTest.accuracy, peakRssMb: peak, tensorsLeaked };
  } finally {
    clearInterval(watch);
  }
}

/** The example's main job: make the files if needed, then train on them. */
export async function main(s: Settings): Promise<RunResult> {
  await useNodeBackend();
  const files = ensureDigitFiles(s.dir);
  return run(s, files);
}
