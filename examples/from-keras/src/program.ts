import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKerasModel } from '@neurona/keras';
import { tensor, type Tensor } from '@neurona/tensor';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * The bundled model: FlowNet-ANN's final model (github.com/2mdtln/FlowNet-ANN, MIT), a Keras
 * 3.9.2 Sequential 2-128-64-32-2 trained in Python, kept with the Keras package's test files;
 * the expected outputs were computed from its weights in numpy (packages/keras/test/reference).
 */
export const BUNDLED = join(HERE, '..', '..', '..', 'packages', 'keras', 'test', 'fixtures', 'real', 'flownet-final-keras3.9.2.keras');
const EXPECTED = join(HERE, '..', '..', '..', 'packages', 'keras', 'test', 'fixtures', 'real-expected.json');

export const USAGE = `from-keras: load a Keras .keras (or .h5) file in Node and predict with it.

  node dist/main.js               the bundled FlowNet model, checked against numpy's predictions
  node dist/main.js model.keras   your file: its summary and a prediction for an all-zeros input`;

/** What a run printed and measured. */
export interface RunResult {
  /** The model's predictions, one row per input. */
  predictions: number[][];
  /** Largest |neurona − numpy| over the bundled inputs (null for a file of your own). */
  maxError: number | null;
}

function rows(t: Tensor): number[][] {
  const d = Array.from(t.dataSync());
  const w = t.shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: t.shape[0] }, (_, i) => d.slice(i * w, (i + 1) * w));
}

const fmt = (v: number[]) => `[${v.map((x) => x.toFixed(5).padStart(9)).join(' ')}]`;

/** Load `file` (default the bundled model), print its summary and predictions; check the bundled ones. */
export async function main(options: { file?: string; log?: (line: string) => void } = {}): Promise<RunResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const file = options.file ?? BUNDLED;
  const model = await loadKerasModel(file);
  try {
    log(`${file.split(/[\\/]/).pop()}: ${model.kind === 'Sequential' ? 'Sequential' : 'functional'} model, ${model.countParams()} weights${model.optimizer ? `, ${model.optimizer.className} after ${model.optimizer.iterations} steps` : ''}`);
    model.summary({ printFn: log });
    let x: Tensor;
    let want: number[][] | null = null;
    if (options.file === undefined) {
      const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Record<string, { input: number[][]; output: number[][] }>;
      const e = expected['flownet-final-keras3.9.2.keras'];
      x = tensor(e.input);
      want = e.output;
    } else {
      const shape = model.inputs[0].shape.map((d) => d ?? 1);
      x = tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 0), shape, model.inputs[0].dtype === 'int32' ? 'int32' : 'float32');
    }
    const y = model.predict(x) as Tensor;
    const predictions = rows(y);
    const inputs = rows(x);
    x.dispose();
    y.dispose();
    let maxError: number | null = null;
    log('input → neurona prediction' + (want ? '   (numpy from the same weights)' : ''));
    predictions.forEach((p, i) => {
      log(`${fmt(inputs[i])} → ${fmt(p)}${want ? `   ${fmt(want[i])}` : ''}`);
    });
    if (want) {
      maxError = Math.max(...predictions.flatMap((p, i) => p.map((v, j) => Math.abs(v - want[i][j]))));
      log(`max |neurona − numpy| = ${maxError.toExponential(2)} ${maxError <= 1e-4 ? '(within 1e-4)' : 'ABOVE 1e-4'}`);
    }
    return { predictions, maxError };
  } finally {
    model.dispose();
  }
}
