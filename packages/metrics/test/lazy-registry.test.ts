// The lazy metric registry (@neurona/models resolves compile's names through it): in a bundle that
// never imports `get`, only the accuracies are registered, the other built-ins load by name, and
// once loaded they are what `get` builds. This file imports the registry's modules, not the
// package index (which, as in Node, would register every built-in at import).
import { describe, expect, it } from 'vitest';
import { memory } from '@neurona/tensor';
import { checkMetric, loadMetrics, metricsLoaded, resolveMetric } from '../src/lazy-registry';
import { registry } from '../src/registry-store';

// every built-in name that loads on demand (the accuracies are always registered)
const LAZY_NAMES = ['top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy', 'precision', 'recall', 'f1_score', 'fbeta_score', 'auc', 'mean', 'sum', 'mse', 'mae', 'mape', 'msle', 'MSE', 'meanSquaredError', 'mean_absolute_error', 'AUC', 'Precision', 'F1Score'];

describe('the lazy metric registry', () => {
  it('before loading: accuracies resolve, other built-ins say they are not loaded, unknown names list the known ones', () => {
    const n = memory().numTensors;
    expect(registry.has('auc')).toBe(false);
    const acc = resolveMetric('accuracy', { lossName: 'sparse_categorical_crossentropy' });
    expect([acc.className, acc.name]).toEqual(['SparseCategoricalAccuracy', 'accuracy']);
    acc.dispose();
    const bin = resolveMetric('acc', { outputUnits: 1 });
    expect([bin.className, bin.name]).toEqual(['BinaryAccuracy', 'acc']);
    bin.dispose();
    expect(() => resolveMetric('auc')).toThrow('Metric "auc" is not loaded yet: fit and evaluate load the metrics compile names; elsewhere, await loadMetrics(["auc"]) of @neurona/metrics first');
    expect(() => resolveMetric({ className: 'Precision', config: {} })).toThrow(/Metric "Precision" is not loaded yet/);
    expect(() => resolveMetric('aucc')).toThrow(/^Unknown metric "aucc"\. Known metrics: MAE, MAPE, MSE, MSLE, acc, accuracy, auc, binary_accuracy, .*mse.*top_k_categorical_accuracy$/);
    // compile's check: unknown names fail, built-ins not loaded yet pass
    expect(() => checkMetric('aucc')).toThrow(/Unknown metric "aucc"/);
    expect(() => checkMetric('auc')).not.toThrow();
    expect(() => checkMetric({ className: 'Recall' })).not.toThrow();
    expect(() => checkMetric('accuracy')).not.toThrow();
    expect(metricsLoaded(['accuracy', 'categorical_accuracy'])).toBe(true);
    expect(metricsLoaded(['accuracy', 'auc'])).toBe(false);
    // unknown names are not "to load": resolveMetric reports them
    expect(metricsLoaded(['aucc'])).toBe(true);
    expect(memory().numTensors).toBe(n);
  });

  it('loads only the named metrics, under every name of each, and builds them with the name given', async () => {
    await loadMetrics(['auc', { className: 'Precision', config: {} }, 'meanSquaredError', 'aucc', (() => 0) as never]);
    expect(metricsLoaded(['auc', 'AUC', 'precision', 'mse', 'MSE', 'mean_squared_error'])).toBe(true);
    expect(metricsLoaded(['recall'])).toBe(false);
    expect(() => resolveMetric('recall')).toThrow(/not loaded yet/);
    const auc = resolveMetric('auc');
    expect([auc.className, auc.name]).toEqual(['AUC', 'auc']);
    const byClass = resolveMetric('AUC');
    expect(byClass.name).toBe('auc');
    const mse = resolveMetric('MSE');
    expect([mse.className, mse.name]).toEqual(['MeanSquaredError', 'MSE']);
    const p = resolveMetric({ className: 'Precision', config: { threshold: 0.3 } });
    expect(p.getConfig()).toMatchObject({ threshold: 0.3 });
    for (const m of [auc, byClass, mse, p]) m.dispose();
  });

  it('builds, once loaded, exactly what `get` builds', async () => {
    await loadMetrics(LAZY_NAMES);
    const lazy = LAZY_NAMES.map((n) => resolveMetric(n));
    // importing `get` registers every built-in (what Node does at import); the tables are shared
    const { get } = await import('../src/registry');
    const eager = LAZY_NAMES.map((n) => get(n));
    expect(lazy.map((m) => [m.className, m.name, m.getConfig()])).toEqual(eager.map((m) => [m.className, m.name, m.getConfig()]));
    for (const m of [...lazy, ...eager]) m.dispose();
  });
});
