// The MNIST page: the same model module as the Node program (mnist-model), trained here on the
// backend useWebBackend picks (WebGPU first), with live curves and a canvas to try the model on.
import './shared/style.css';
import { BackendSelectionError, loadLaterKernels } from '@neurona/backend-web';
import { plotModel } from '@neurona/models';
import { dispose } from '@neurona/tensor';
import { buildModelAsync, CNN_FILTERS, trainModel } from 'mnist-model';
import { describeAttempts, startBackend } from './backend';
import { loadSplit } from './data';
import type { DigitModel } from './digit-model';
import { evaluateTest } from './evaluate';
import { createOpenModel } from './open-model';
import { predictDigit } from './predict-drawing';
import { progressCallback } from './progress-callback';
import { createDrawPad } from './shared/draw-pad';
import { parseParams, type PageParams } from './shared/params';
import { createView } from './shared/view';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
const { params, errors } = parseParams(location.search);
const view = createView(root, params, 'neurona · MNIST in the browser');
let model: DigitModel | null = null;
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
    model?.model.dispose();
    model = null;
    // The convnet's layers, kernels and gradients are lazy chunks: a visit that trains the MLP does not download them
    if (p.model === 'cnn') await loadLaterKernels();
    const m = await buildModelAsync(p.model, { seed: 42 });
    view.setModelPlot(plotModel(m));
    view.setPhase(`training ${describeModel(p.model)} on ${split.xTrain.shape[0]} digits, validating on ${split.xVal.shape[0]}`);
    const progress = progressCallback(view);
    const H = await trainModel(m, p.model, split, { epochs: p.epochs, batchSize: p.batchSize, verbose: 0, callbacks: [progress] });
    view.setPhase(`evaluating on ${split.xTest.shape[0]} test digits`);
    const trained: DigitModel = { model: m, digitShape: [28, 28] };
    view.setEvaluation(await evaluateTest(trained, split.xTest, split.yTest));
    const val = H.history.val_accuracy;
    view.setValAccuracy(val[val.length - 1]);
    model = trained;
    view.setPhase('draw a digit below');
    view.setStatus('done');
  } finally {
    dispose(Object.values(split));
    training = false;
  }
}

async function predictDrawing(): Promise<void> {
  // the drawing's preprocessing is loaded with the first stroke
  const { toMnist } = await import('./shared/preprocess');
  const image = toMnist(pad.read());
  view.setPreview(image);
  if (!image) return view.setPrediction(null, 'draw a digit');
  if (!model || training) return view.setPrediction(null, training ? 'wait until training is done' : 'train the model first');
  view.setPrediction(await predictDigit(model, image));
}

/**
 * Load a .keras file the person chose, check it is an MNIST model, make it the page's model and
 * show its test-split results and its prediction for the drawing, as for a trained one. On any
 * failure the page keeps the model it had.
 */
async function openModel(file: File): Promise<void> {
  if (training) return opened.setState('wait until training is done', true);
  training = true;
  opened.setState(`loading ${file.name}…`);
  view.setStatus('training');
  view.setPhase(`loading ${file.name}`);
  try {
    // On demand: a visit that never opens a file does not download the Keras reader (and h5wasm)
    const [{ loadKerasModel }, { digitModel }] = await Promise.all([import('@neurona/keras'), import('./digit-shape')]);
    // a file may hold a convnet: its kernels and gradients are in the page's lazy chunk
    await loadLaterKernels();
    const loaded = await loadKerasModel(file);
    let m: DigitModel;
    try {
      m = digitModel(loaded);
    } catch (err) {
      loaded.dispose();
      throw err;
    }
    view.setPhase(`evaluating ${file.name} on the test digits`);
    const split = await loadSplit(params.samples);
    try {
      view.setEvaluation(await evaluateTest(m, split.xTest, split.yTest));
    } catch (err) {
      loaded.dispose();
      throw err;
    } finally {
      dispose(Object.values(split));
    }
    model?.model.dispose();
    model = m;
    view.setModelPlot(plotModel(loaded));
    opened.setState(`${file.name}: input [null, ${m.digitShape.join(', ')}] · ${loaded.layers.length} layers`);
    view.setPhase('draw a digit below');
    view.setStatus('done');
    training = false;
    await predictDrawing();
  } catch (err) {
    training = false;
    opened.setState(`could not open ${file.name}: ${err instanceof Error ? err.message : String(err)}`, true);
    view.setStatus(model ? 'done' : 'idle');
    view.setPhase('');
  }
}

const controls = root.querySelector('[data-testid="controls"]');
if (!controls) throw new Error('the page view has no controls form');
const opened = createOpenModel(controls, (file) => void openModel(file));
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
