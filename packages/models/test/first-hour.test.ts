// Regression tests for what a new user tripped on in their first hour (issue 16): each failed on
// the code before the fix.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, memory, mean, ones, square, tensor2d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import { ModelCheckpoint } from '../src/callbacks/model-checkpoint';
import { loadModel, loadWeights, saveModel, saveWeights } from '../src/io';

const dir = mkdtempSync(join(tmpdir(), 'neurona-first-hour-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const x = () => tensor2d([[1, 2, 3, 4], [2, 3, 4, 5], [0, 1, 0, 1], [1, 1, 1, 1]]);
const y = () => tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);

function model() {
  const m = Sequential([Dense(3, { inputShape: [4], activation: 'softmax' })]);
  m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] });
  return m;
}

describe('setWeights', () => {
  it('with a disposed tensor fails by name and leaves the model working (was: stack overflow, model broken for good)', async () => {
    const m = model();
    const w = m.getWeights();
    w[0].dispose();
    expect(() => m.setWeights(w)).toThrow('setWeights: Sequential "sequential');
    expect(() => m.setWeights(w)).toThrow('the value for weight 0 ("dense');
    const [xs, ys] = [x(), y()];
    const p = m.predict(xs) as Tensor;
    expect(Array.from(p.dataSync()).every(Number.isFinite)).toBe(true);
    const h = await m.fit(xs, ys, { epochs: 1, verbose: 0 });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    dispose([p, xs, ys, ...w]);
    m.dispose();
  });
});

describe('data given as arrays', () => {
  it('ragged rows are refused with the path of the first bad row (was: garbage on cpu, RangeError on wasm)', async () => {
    const m = model();
    await expect(m.fit([[1, 2, 3, 4], [1, 2]], [[1, 0, 0], [0, 1, 0]], { verbose: 0 })).rejects.toThrow(
      'x: nested arrays must be rectangular: x[1] is an array of 2, but x[0] has 4 elements',
    );
    m.dispose();
  });

  it('rows may be typed arrays (Float64Array from a port)', async () => {
    const m = model();
    const rows = [new Float64Array([1, 2, 3, 4]), new Float64Array([0, 1, 0, 1])];
    const h = await m.fit(rows, [[1, 0, 0], [0, 0, 1]], { epochs: 1, verbose: 0 });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    m.dispose();
  });

  it('one-hot rows that do not sum to 1 are refused with the row (was: accepted silently)', async () => {
    const m = model();
    const [xs] = [x()];
    const bad = tensor2d([[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, 0, 0]]);
    await expect(m.fit(xs, bad, { verbose: 0 })).rejects.toThrow(
      'fit: loss "categorical_crossentropy" expects one-hot rows (or class probabilities) that sum to 1, but row 2 of y sums to 2 (3 columns)',
    );
    // soft labels that sum to 1 are fine
    const soft = tensor2d([[0.9, 0.05, 0.05], [0, 1, 0], [0.2, 0.3, 0.5], [1, 0, 0]]);
    await m.fit(xs, soft, { verbose: 0 });
    dispose([xs, bad, soft]);
    m.dispose();
  });
});

describe('fit options', () => {
  it('epochs NaN or Infinity prints the value given (was: "got null")', async () => {
    const m = model();
    const [xs, ys] = [x(), y()];
    await expect(m.fit(xs, ys, { epochs: NaN, verbose: 0 })).rejects.toThrow('fit: epochs must be a positive integer, got NaN');
    await expect(m.fit(xs, ys, { epochs: Infinity, verbose: 0 })).rejects.toThrow('fit: epochs must be a positive integer, got Infinity');
    dispose([xs, ys]);
    m.dispose();
  });

  it('classWeight for a class the model does not have is refused (was: ignored)', async () => {
    const m = model();
    const [xs, ys] = [x(), y()];
    const before = memory().numTensors;
    await expect(m.fit(xs, ys, { classWeight: { 7: 3 }, verbose: 0 })).rejects.toThrow(
      "fit: classWeight has class 7, but the model's output has 3 classes (0 to 2)",
    );
    expect(memory().numTensors).toBe(before);
    await m.fit(xs, ys, { classWeight: { 0: 1, 2: 3 }, verbose: 0 });
    dispose([xs, ys]);
    m.dispose();
  });

  it('a custom loss that ignores yPred says so (was: tfjs\'s "Cannot find a connection ... minimize()")', async () => {
    const m = Sequential([Dense(3, { inputShape: [4] })]);
    m.compile({ loss: (yTrue: Tensor) => mean(square(yTrue)), optimizer: SGD(0.1) });
    const [xs, ys] = [x(), y()];
    await expect(m.fit(xs, ys, { verbose: 0 })).rejects.toThrow(/fit: the loss \(.*\) does not depend on the model's output, so no weight can learn from it\. A custom loss must compute its value from yPred/);
    dispose([xs, ys]);
    m.dispose();
  });
});

describe('saving and loading', () => {
  it('an unwritable place names the path given and why (was: a raw OS error naming a temporary folder, or a hang under /proc)', async () => {
    const m = model();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    await expect(saveModel(m, join(file, 'model'))).rejects.toThrow(`save: cannot write "${join(file, 'model')}": ${file} is a file, not a folder`);
    await expect(saveModel(m, '/proc/neurona/model')).rejects.toThrow(/save: cannot write "\/proc\/neurona\/model": cannot create the folder \/proc\/neurona: /);
    m.dispose();
  });

  it('weights holding NaN are refused when loading unless allowNonFinite (was: NaN predictions)', async () => {
    const m = model();
    const w = m.getWeights();
    const nan = ones(w[1].shape).mul(NaN);
    m.setWeights([w[0], nan], { allowNonFinite: true });
    const path = join(dir, 'nan-model');
    await saveModel(m, path);
    await expect(loadModel(path)).rejects.toThrow(/weight "dense(_\d+)?\/bias" holds NaN at flat index 0; a model with it predicts NaN\. Load with \{ allowNonFinite: true \} to accept it/);
    const loaded = await loadModel(path, { allowNonFinite: true });
    loaded.dispose();
    await saveWeights(m, join(dir, 'nan-weights'));
    const other = model();
    await expect(loadWeights(other, join(dir, 'nan-weights'))).rejects.toThrow('holds NaN');
    await loadWeights(other, join(dir, 'nan-weights'), { allowNonFinite: true });
    dispose([...w, nan]);
    m.dispose();
    other.dispose();
  });

  it('ModelCheckpoint for a value to maximize starts from -inf, as Keras (was: "improved from inf")', async () => {
    const m = model();
    const lines: string[] = [];
    const cb = ModelCheckpoint(join(dir, 'best'), { monitor: 'accuracy', mode: 'max', saveBestOnly: true, verbose: 1 });
    (cb as unknown as { print: (s: string) => void }).print = (s: string) => lines.push(s);
    const [xs, ys] = [x(), y()];
    await m.fit(xs, ys, { epochs: 1, verbose: 0, callbacks: [cb] });
    expect(lines[0]).toMatch(/^Epoch 1: accuracy improved from -inf to \d\.\d{5}, saving model to /);
    dispose([xs, ys]);
    m.dispose();
  });
});
