// The mnist-web page written with @tensorflow/tfjs: the same view, drawing pad, preprocessing,
// URL parameters and chart code (imported from examples/mnist-web and @neurona/metrics' source,
// none of which depends on neurona), with tfjs for the backend, the data, the model and fit.
import '../../../examples/mnist-web/src/shared/style.css';
import * as tf from '@tensorflow/tfjs';
import { createDrawPad } from '../../../examples/mnist-web/src/shared/draw-pad';
import { parseParams, type PageParams } from '../../../examples/mnist-web/src/shared/params';
import { toMnist } from '../../../examples/mnist-web/src/shared/preprocess';
import { createView } from '../../../examples/mnist-web/src/shared/view';
import { historyToSvg } from '../../../packages/metrics/src/history-svg';
import { startBackend } from './backend';
import { loadSplit } from './data';
import { buildModel } from './model';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
const { params, errors } = parseParams(location.search);
const view = createView(root, params, '@tensorflow/tfjs · MNIST in the browser');
let model: tf.Sequential | null = null;
let training = false;

function fail(err: unknown): void {
  training = false;
  view.setStatus({ error: err instanceof Error ? err.message : String(err) });
  view.setPhase('');
  console.error(err);
}

const nextFrame = () =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 50);
    requestAnimationFrame(() => setTimeout(() => (clearTimeout(timer), resolve()), 0));
  });

async function train(p: PageParams): Promise<void> {
  training = true;
  view.setStatus('training');
  view.setPhase(`loading ${p.samples} digits`);
  const split = await loadSplit(p.samples);
  try {
    model?.dispose();
    const m = buildModel(p.model);
    const steps = Math.ceil(split.xTrain.shape[0] / p.batchSize);
    const history: Record<string, number[]> = {};
    const epochTimes: number[] = [];
    let epoch = 0;
    let t0 = 0;
    view.setPhase(`training ${p.model} on ${split.xTrain.shape[0]} digits, validating on ${split.xVal.shape[0]}`);
    await m.fit(split.xTrain, split.yTrain, {
      epochs: p.epochs,
      batchSize: p.batchSize,
      validationData: [split.xVal, split.yVal],
      shuffle: true,
      callbacks: {
        onEpochBegin: async (e) => {
          epoch = e;
          t0 = performance.now();
          view.setProgress(e + 1, p.epochs, 0, steps);
        },
        onBatchEnd: async (batch) => view.setProgress(epoch + 1, p.epochs, batch + 1, steps),
        onEpochEnd: async (_e, logs) => {
          epochTimes.push(performance.now() - t0);
          // tfjs-layers logs `acc`; Keras and the chart say `accuracy`
          for (const [k, v] of Object.entries(logs ?? {})) (history[k.replace(/acc$/, 'accuracy')] ??= []).push(v);
          view.setEpochTimes(epochTimes);
          view.setChart(historyToSvg({ history }, { width: 720, height: 320 }));
          const val = history.val_accuracy;
          if (val) view.setValAccuracy(val[val.length - 1]);
          await nextFrame();
        },
      },
    });
    view.setPhase(`evaluating on ${split.xTest.shape[0]} test digits`);
    const [pred, truth] = tf.tidy(() => [(m.predict(split.xTest, { batchSize: 128 }) as tf.Tensor).argMax(1), split.yTest.argMax(1)]);
    const [predicted, actual] = await Promise.all([pred.data(), truth.data()]);
    tf.dispose([pred, truth]);
    // Counted here: tf.math.confusionMatrix multiplies int32 matrices, which the wasm backend rejects
    const matrix = Array.from({ length: 10 }, () => Array.from({ length: 10 }, () => 0));
    for (let i = 0; i < actual.length; i++) matrix[actual[i]][predicted[i]]++;
    const correct = matrix.reduce((s, row, i) => s + row[i], 0);
    view.setEvaluation({ matrix, testAccuracy: correct / split.xTest.shape[0] });
    model = m;
    view.setPhase('draw a digit below');
    view.setStatus('done');
  } finally {
    tf.dispose(Object.values(split));
    training = false;
  }
}

async function predictDrawing(): Promise<void> {
  const image = toMnist(pad.read());
  view.setPreview(image);
  if (!image) return view.setPrediction(null, 'draw a digit');
  if (!model || training) return view.setPrediction(null, training ? 'wait until training is done' : 'train the model first');
  const m = model;
  const probs = tf.tidy(() => m.predict(tf.tensor3d(image, [1, 28, 28])) as tf.Tensor);
  view.setPrediction(Array.from(await probs.data()));
  probs.dispose();
}

const pad = createDrawPad(view.drawCanvas, { onStrokeEnd: () => void predictDrawing().catch(fail) });
view.clearButton.addEventListener('click', () => {
  pad.clear();
  view.setPreview(null);
  view.setPrediction(null);
});
window.addEventListener('unhandledrejection', (e) => fail(e.reason));

async function start(): Promise<void> {
  if (errors.length) throw new Error(`bad URL parameters: ${errors.join('; ')}`);
  tf.env().set('PROD', true);
  const b = await startBackend(params.backend);
  view.setBackend(b.summary, b.details);
  view.setNotice(b.notice);
  if (params.autostart) await train(params);
}

start().catch(fail);
