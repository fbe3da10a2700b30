// The tabular example on its real table: Normalization.adapt (streamed) gives NumPy's training
// mean and variance (exported by data/export_diabetes.py), and the MLP's test error beats the
// mean predictor and comes near scikit-learn's linear regression on the same split.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/program';

beforeAll(() => {
  process.env.NEURONA_BACKEND = process.env.NEURONA_TEST_BACKEND ?? 'cpu';
});
afterAll(() => {
  delete process.env.NEURONA_BACKEND;
});

describe('examples/tabular', () => {
  it('adapts, trains and reports MAE / RMSE / R² against the baselines', async () => {
    const lines: string[] = [];
    const r = await main({ epochs: 100, log: (s) => lines.push(s) });
    const b = (await import('../data/baselines.json', { with: { type: 'json' } })).default as { train_mean: number[]; train_variance: number[] };
    r.mean.forEach((m, i) => expect(Math.abs(m - b.train_mean[i])).toBeLessThan(1e-3 * Math.max(1, Math.abs(b.train_mean[i]))));
    r.variance.forEach((v, i) => expect(Math.abs(v - b.train_variance[i])).toBeLessThan(1e-3 * Math.max(1, b.train_variance[i])));
    const linear = r.test['neurona linear (Normalization → Dense(1))'];
    // the linear model lands on least squares: scikit-learn's test R² within 0.02
    expect(Math.abs(linear.r2 - r.baselines.linear.r2)).toBeLessThan(0.02);
    const mlp = r.test['neurona MLP 10-8-1'];
    expect(mlp.r2).toBeGreaterThan(0.25);
    expect(mlp.mae).toBeLessThan(r.baselines.mean.mae);
    expect(lines.join('\n')).toContain('| neurona MLP 10-8-1 |');
  });
});
