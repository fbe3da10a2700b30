import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRegressionData, target } from '../src/data';
import { errors, leastSquares, predictLinear } from '../src/least-squares';
import { main } from '../src/program';
import { readSettings } from '../src/settings';
import { captureOutput } from './helpers';

const backend = process.env.NEURONA_TEST_BACKEND ?? 'cpu';
let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'regression-'));
  process.env.NEURONA_BACKEND = backend;
});
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  delete process.env.NEURONA_BACKEND;
});

describe('least squares', () => {
  it('recovers an exact linear function', () => {
    const x = [[0, 1], [1, 0], [2, 3], [-1, 4], [0.5, -2]];
    const y = x.map(([a, b]) => 3 - 2 * a + 0.25 * b);
    const fit = leastSquares(x, y);
    fit.weights.forEach((w, i) => expect(w).toBeCloseTo([-2, 0.25][i], 10));
    expect(fit.bias).toBeCloseTo(3, 10);
    expect(errors(y, predictLinear(fit, x)).mse).toBeLessThan(1e-20);
  });

  it('leaves residuals orthogonal to every feature and to the constant (the normal equations)', () => {
    const { x, y } = makeRegressionData(300, 0.1, 7);
    const fit = leastSquares(x, y);
    const r = predictLinear(fit, x).map((p, i) => y[i] - p);
    for (let j = 0; j < 5; j++) expect(Math.abs(r.reduce((s, v, i) => s + v * x[i][j], 0))).toBeLessThan(1e-9);
    expect(Math.abs(r.reduce((s, v) => s + v, 0))).toBeLessThan(1e-9);
  });

  it('makes reproducible data around the stated function', () => {
    const a = makeRegressionData(50, 0.1, 3);
    expect(makeRegressionData(50, 0.1, 3)).toEqual(a);
    expect(a.x.flat().every((v) => v >= -1 && v < 1)).toBe(true);
    const noise = a.y.map((v, i) => v - target(a.x[i]));
    expect(Math.sqrt(noise.reduce((s, v) => s + v * v, 0) / 50)).toBeGreaterThan(0.05);
    expect(Math.sqrt(noise.reduce((s, v) => s + v * v, 0) / 50)).toBeLessThan(0.2);
  });
});

describe('the regression program', () => {
  it('trains Dense(1) onto the least-squares solution, and an MLP below it', async () => {
    const { result, text } = await captureOutput(() => main({ epochs: 20, samples: 1000, noise: 0.1, seed: 42, outDir: out }));
    const { leastSquares: ls, linear, mlp } = result;
    // loss 'mse' with metrics ['mae']: Keras's History keys
    expect(Object.keys(linear.history.history)).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    linear.weights?.forEach((w, i) => expect(Math.abs(w - (ls.weights as number[])[i])).toBeLessThan(0.03));
    expect(Math.abs((linear.bias as number) - (ls.bias as number))).toBeLessThan(0.03);
    expect(Math.abs(linear.mse - ls.mse) / ls.mse).toBeLessThan(0.03);
    // the non-linear part (sin, square) is out of reach of any linear model, not of a hidden layer
    // (which needs ~900 steps to get near the noise: 0.015 with the defaults; here it has 220)
    expect(ls.mse).toBeGreaterThan(0.2);
    expect(mlp.mse).toBeLessThan(0.9 * ls.mse);
    // the last epoch's training MSE is the loss; the History's val_mae is a mean absolute error
    expect(linear.history.history.loss.at(-1)).toBeGreaterThan(0.2);
    expect(text).toMatch(/least squares\s+-?\d\.\d{4}/);
    expect(text).toMatch(/Dense\(1\), SGD, mse\s+-?\d\.\d{4}/);
    for (const p of result.svgPaths) {
      expect(existsSync(p)).toBe(true);
      expect(readFileSync(p, 'utf8')).toContain('MAE');
    }
  });

  it('reads its options', () => {
    expect(readSettings([], { INIT_CWD: '/x' })).toEqual({ epochs: 40, samples: 2000, noise: 0.1, seed: 42, outDir: '/x' });
    expect(readSettings(['--noise=0', '--epochs', '5'], {})).toMatchObject({ noise: 0, epochs: 5 });
    expect(() => readSettings(['--noise', '-1'], {})).toThrow('--noise must be a number >= 0, got "-1"');
    expect(() => readSettings(['--samples', '5'], {})).toThrow('--samples must be a whole number >= 20, got "5"');
  });
});
