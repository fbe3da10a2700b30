// The MNIST page: the same model module as the Node program (mnist-model), trained here on the
// backend useWebBackend picks (WebGPU first), with live curves and a canvas to try the model on.
import './shared/style.css';
import { BackendSelectionError } from '@neurona/backend-web';
import { plotModel, type Sequential } from '@neurona/models';
import { dispose } from '@neurona/tensor';
import { buildModel, CNN_FILTERS, trainModel } from 'mnist-model';
import { describeAttempts, startBackend } from './backend';
import { loadSplit } from './data';
import { evaluateTest } from './evaluate';
import { predictDigit } from './predict-drawing';
import { progressCallback } from './progress-callback';
import { createDrawPad } from './shared/draw-pad';
import { parseParams, type PageParams } from './shared/params';
import { toMnist } from './shared/preprocess';
import { createView } from './shared/view';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
const { params, errors } = parseParams(location.search);
const view = createView(root, params, 'neurona · MNIST in the browser');
let model: Sequential | null = null;
let training = false;

function fail(err: unknown): void {
  training = false;
  const message = err instanceof Error ? err.message : String(err);
  view.setStatus({ error: message });
  view.setPhase('');
  console.error(err);
}

/** The model's name, and for the CNN why it is narrower than Keras's. */
function describeModel(kind: PageParams['model']): string {
  if (kind !== 'cnn') return kind;
  return `cnn (${CNN_FILTERS.join(' and ')} filters, a quarter of Keras's convnet, so that a software WebGPU adapter keeps up; on one, try samples=2000)`;
}

async function train(p: PageParams): Promise<void> {
  training = true;
  view.setStatus('training');
  view.setPhase(`loading ${p.samples} digits`);
  const split = await loadSplit(p.samples);
  try {
    model?.dispose();
    model = null;
    const m = buildModel(p.model, { seed: 42 });
    view.setModelPlot(plotModel(m));
    view.setPhase(`training ${describeModel(p.model)} on ${split.xTrain.shape[0]} digits, validating on ${split.xVal.shape[0]}`);
    const progress = progressCallback(view);
    const H = await trainModel(m, p.model, split, { epochs: p.epochs, batchSize: p.batchSize, verbose: 0, callbacks: [progress] });
    view.setPhase(`evaluating on ${split.xTest.shape[0]} test digits`);
    view.setEvaluation(await evaluateTest(m, split.xTest, split.yTest));
    const val = H.history.val_accuracy;
    view.setValAccuracy(val[val.length - 1]);
    model = m;
    view.setPhase('draw a digit below');
    view.setStatus('done');
  } finally {
    dispose(Object.values(split));
    training = false;
  }
}

async function predictDrawing(): Promise<void> {
  const image = toMnist(pad.read());
  view.setPreview(image);
  if (!image) return view.setPrediction(null, 'draw a digit');
  if (!model || training) return view.setPrediction(null, training ? 'wait until training is done' : 'train the model first');
  view.setPrediction(await predictDigit(model, image));
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
  try {
    const b = await startBackend(params.backend);
    view.setBackend(b.summary, b.details);
    view.setNotice(b.notice);
  } catch (err) {
    if (err instanceof BackendSelectionError) view.setBackend(`${params.backend ?? 'no backend'} could not start`, describeAttempts(err.tried));
    throw err;
  }
  if (params.autostart) await train(params);
}

start().catch(fail);
