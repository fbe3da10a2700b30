// The page's DOM: built once, then updated by the training code through these methods. It holds
// no machine-learning code, so the tfjs comparison page (bench/web-compare) uses it unchanged.
import { MAX_SAMPLES, PAGE_BACKENDS, PAGE_MODELS, type PageParams } from './params';
import { MNIST_SIZE } from './mnist-size';

/** The values of `data-testid="status"`. */
export type PageStatus = 'idle' | 'training' | 'done' | { error: string };

/** The test split's results. */
export interface Evaluation {
  /** `matrix[i][j]`: test digits of class i predicted as j. */
  matrix: number[][];
  testAccuracy: number;
  /** A classification report (text), when the library has one. */
  report?: string;
}

/** Handles on the page, for the training code. */
export interface PageView {
  /** The canvas a person draws on (280 × 280). */
  readonly drawCanvas: HTMLCanvasElement;
  readonly clearButton: HTMLButtonElement;
  setBackend(summary: string, details: string[]): void;
  /** The "WebGPU is missing" notice; null hides it. */
  setNotice(text: string | null): void;
  setStatus(status: PageStatus): void;
  /** What the page is doing right now (`loading 2000 digits`, `training`...). */
  setPhase(text: string): void;
  setProgress(epoch: number, epochs: number, batch: number, batches: number): void;
  setChart(svg: string): void;
  /** The model's layer graph (an SVG picture, e.g. neurona's `plotModel`). */
  setModelPlot(svg: string): void;
  setValAccuracy(value: number): void;
  setEpochTimes(ms: number[]): void;
  setEvaluation(e: Evaluation): void;
  /** Probabilities of the 10 digits for the drawing, or a message instead. */
  setPrediction(probs: readonly number[] | null, message?: string): void;
  /** The 28 × 28 image the model sees. */
  setPreview(image: Float32Array | null): void;
}

function el<T extends HTMLElement>(root: ParentNode, testId: string): T {
  const e = root.querySelector<T>(`[data-testid="${testId}"]`);
  if (!e) throw new Error(`page: no element with data-testid="${testId}"`);
  return e;
}

const options = (values: readonly string[], selected: string) =>
  values.map((v) => `<option value="${v}"${v === selected ? ' selected' : ''}>${v || 'auto (WebGPU first)'}</option>`).join('');

/** Build the page inside `root`. `title` names the library the page trains with. */
export function createView(root: HTMLElement, params: PageParams, title: string): PageView {
  // Only validated numbers and fixed names go into this markup; everything else uses textContent.
  root.innerHTML = `
<header><h1>${title}</h1><p>Handwritten digits (MNIST), trained in this page.</p></header>
<form class="controls" method="get" data-testid="controls">
  <label>model <select name="model">${options(PAGE_MODELS, params.model)}</select></label>
  <label>epochs <input name="epochs" type="number" min="1" max="1000" value="${params.epochs}"></label>
  <label>samples <input name="samples" type="number" min="20" max="${MAX_SAMPLES}" value="${params.samples}"></label>
  <label>batch <input name="batch" type="number" min="1" value="${params.batchSize}"></label>
  <label>backend <select name="backend">${options(['', ...PAGE_BACKENDS], params.backend ?? '')}</select></label>
  <input type="hidden" name="autostart" value="1">
  <button type="submit">Train</button>
</form>
<section class="state">
  <div><b>backend</b> <span data-testid="backend">choosing…</span></div>
  <ul class="details" data-testid="backend-details"></ul>
  <p class="notice" data-testid="webgpu-notice" hidden></p>
  <div><b>status</b> <span data-testid="status">idle</span> <span class="phase" data-testid="phase"></span></div>
  <div><b>progress</b> <span data-testid="epoch">–</span> <progress data-testid="progress" max="1" value="0"></progress></div>
  <div><b>validation accuracy</b> <span data-testid="val-accuracy">–</span></div>
  <div><b>epoch times</b> <span data-testid="epoch-times">–</span></div>
</section>
<section class="chart" data-testid="chart"></section>
<section class="model-plot" data-testid="model-plot"></section>
<section class="draw">
  <h2>Draw a digit</h2>
  <div class="pad">
    <canvas data-testid="draw-canvas" width="280" height="280"></canvas>
    <div>
      <canvas class="preview" data-testid="preview" width="${MNIST_SIZE}" height="${MNIST_SIZE}" title="what the model sees (28 × 28)"></canvas>
      <button type="button" data-testid="clear">Clear</button>
      <p>prediction: <b data-testid="prediction">–</b></p>
    </div>
    <ol class="probs" start="0" data-testid="probabilities"></ol>
  </div>
</section>
<section class="evaluation">
  <h2>Test split</h2>
  <p>test accuracy: <b data-testid="test-accuracy">–</b></p>
  <table class="confusion" data-testid="confusion-matrix"></table>
  <pre data-testid="report"></pre>
</section>`;

  const status = el<HTMLSpanElement>(root, 'status');
  const preview = el<HTMLCanvasElement>(root, 'preview');
  const view: PageView = {
    drawCanvas: el(root, 'draw-canvas'),
    clearButton: el(root, 'clear'),
    setBackend(summary, details) {
      el(root, 'backend').textContent = summary;
      el(root, 'backend-details').replaceChildren(...details.map((d) => Object.assign(document.createElement('li'), { textContent: d })));
    },
    setNotice(text) {
      const n = el(root, 'webgpu-notice');
      n.hidden = text === null;
      n.textContent = text ?? '';
    },
    setStatus(s) {
      status.textContent = typeof s === 'string' ? s : `error: ${s.error}`;
      status.className = typeof s === 'string' ? s : 'error';
    },
    setPhase(text) {
      el(root, 'phase').textContent = text;
    },
    setProgress(epoch, epochs, batch, batches) {
      el(root, 'epoch').textContent = `epoch ${epoch} / ${epochs} · batch ${batch} / ${batches}`;
      const p = el<HTMLProgressElement>(root, 'progress');
      p.value = (epoch - 1 + batch / Math.max(1, batches)) / epochs;
    },
    setModelPlot(svg) {
      el(root, 'model-plot').innerHTML = svg;
    },
    setChart(svg) {
      el(root, 'chart').innerHTML = svg;
    },
    setValAccuracy(v) {
      el(root, 'val-accuracy').textContent = v.toFixed(4);
    },
    setEpochTimes(ms) {
      const e = el(root, 'epoch-times');
      e.textContent = ms.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ');
      e.dataset.ms = JSON.stringify(ms.map((t) => Math.round(t)));
    },
    setEvaluation({ matrix, testAccuracy, report }) {
      el(root, 'test-accuracy').textContent = testAccuracy.toFixed(4);
      const head = `<tr><th>true \\ pred</th>${matrix.map((_, j) => `<th>${j}</th>`).join('')}</tr>`;
      const rows = matrix.map((row, i) => {
        const total = row.reduce((a, b) => a + b, 0) || 1;
        // Shade each cell by its share of the row, so the diagonal stands out
        const cells = row.map((v, j) => `<td class="${i === j ? 'diag' : ''}" style="--share:${(v / total).toFixed(3)}">${v}</td>`);
        return `<tr><th>${i}</th>${cells.join('')}</tr>`;
      });
      el(root, 'confusion-matrix').innerHTML = head + rows.join('');
      el(root, 'report').textContent = report ?? '';
    },
    setPrediction(probs, message) {
      const list = el(root, 'probabilities');
      const out = el(root, 'prediction');
      if (!probs) {
        out.textContent = message ?? '–';
        list.replaceChildren();
        return;
      }
      const best = probs.indexOf(Math.max(...probs));
      out.textContent = String(best);
      out.dataset.probability = probs[best].toFixed(4);
      list.replaceChildren(
        ...probs.map((p, d) => {
          const li = document.createElement('li');
          li.className = d === best ? 'best' : '';
          li.style.setProperty('--p', p.toFixed(4));
          li.textContent = `${d}: ${(p * 100).toFixed(1)}%`;
          return li;
        }),
      );
    },
    setPreview(image) {
      const ctx = preview.getContext('2d');
      if (!ctx) return;
      const img = ctx.createImageData(MNIST_SIZE, MNIST_SIZE);
      for (let i = 0; i < MNIST_SIZE * MNIST_SIZE; i++) {
        const v = Math.round((image?.[i] ?? 0) * 255);
        img.data.set([v, v, v, 255], i * 4);
      }
      ctx.putImageData(img, 0, 0);
    },
  };
  view.setPreview(null);
  return view;
}
