// The page's model wrapper: which input shapes count as MNIST, and that a model taking [784] or
// [28, 28, 1] gets the page's [n, 28, 28] digits reshaped (checked against softmax(xW + b) in plain JS).
import { beforeAll, describe, expect, it } from 'vitest';
import { useWebBackend } from '@neurona/backend-web';
import { Dense, Flatten } from '@neurona/layers';
import { Sequential } from '@neurona/models';
import { memory, tensor, tensor3d } from '@neurona/tensor';
import { digitProbabilities } from '../src/digit-model';
import { digitModel, mnistDigitShape } from '../src/digit-shape';

beforeAll(async () => {
  await useWebBackend({ force: 'cpu' });
});

/** A seeded pseudo-random sequence in [-0.5, 0.5). */
function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5);
}

/** softmax(x W + b) for one row-major image `x` (784), `w` (784 × 10), `b` (10). */
function softmaxDense(x: number[], w: number[], b: number[]): number[] {
  const z = b.map((bj, j) => x.reduce((s, xi, i) => s + xi * w[i * 10 + j], bj));
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const total = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / total);
}

describe('mnistDigitShape', () => {
  it('accepts the three MNIST input shapes with 10 outputs', () => {
    expect(mnistDigitShape([null, 28, 28], [null, 10])).toEqual([28, 28]);
    expect(mnistDigitShape([null, 784], [null, 10])).toEqual([784]);
    expect(mnistDigitShape([null, 28, 28, 1], [null, 10])).toEqual([28, 28, 1]);
  });

  it('says what it expected and what it found otherwise', () => {
    const inputs = 'an MNIST model takes [null, 28, 28], [null, 784] or [null, 28, 28, 1]';
    expect(() => mnistDigitShape([null, 32, 32, 3], [null, 10])).toThrow(`the model's input is [null, 32, 32, 3]; ${inputs}`);
    expect(() => mnistDigitShape([null, 28, 28, 3], [null, 10])).toThrow(`the model's input is [null, 28, 28, 3]; ${inputs}`);
    expect(() => mnistDigitShape([1, 784], [null, 10])).toThrow(`the model's input is [1, 784]; ${inputs}`);
    expect(() => mnistDigitShape([null, 784], [null, 5])).toThrow("the model's output is [null, 5]; an MNIST model gives [null, 10]");
  });
});

describe('digitProbabilities', () => {
  const w = values(784 * 10, 7).map((v) => v * 0.1);
  const b = values(10, 11);
  const images = [values(784, 3).map((v) => v + 0.5), values(784, 5).map((v) => v + 0.5)];

  it.each([
    ['[784]', () => Sequential([Dense(10, { inputShape: [784], activation: 'softmax' })])],
    ['[28, 28]', () => Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })])],
    ['[28, 28, 1]', () => Sequential([Flatten({ inputShape: [28, 28, 1] }), Dense(10, { activation: 'softmax' })])],
  ])('reshapes the page digits for a model taking %s', async (_, build) => {
    const model = build();
    model.layers[model.layers.length - 1].setWeights([tensor(w, [784, 10]), tensor(b, [10])]);
    const m = digitModel(model);
    const x = tensor3d(images.flat(), [2, 28, 28]);
    const before = memory().numTensors;
    const probs = digitProbabilities(m, x, 1);
    expect(probs.shape).toEqual([2, 10]);
    const got = Array.from(await probs.data());
    probs.dispose();
    expect(memory().numTensors).toBe(before);
    const want = images.flatMap((img) => softmaxDense(img, w, b));
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    x.dispose();
    model.dispose();
  });

  it('refuses a model that is not MNIST-shaped', () => {
    const model = Sequential([Dense(10, { inputShape: [100] })]);
    expect(() => digitModel(model)).toThrow("the model's input is [null, 100]");
    model.dispose();
  });
});
