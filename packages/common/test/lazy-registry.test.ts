// createLazyRegistry: names checked before the registry's code is loaded, loaders run once and on
// demand, and `get` used once the registry module binds it. The loaders here are counting
// functions standing in for `import()`.
import { describe, expect, it } from 'vitest';
import { createLazyRegistry, type LazyBuiltin } from '../src';

type Made = { made: string };
const invalid = (identifier: unknown) => new Error(`widgets.get: expects a widget name, got ${typeof identifier}`);

/** A registry whose built-ins all load with one module, which binds `get` when it "runs". */
function wholeModule(binds = true) {
  const calls = { load: 0 };
  const lazy = createLazyRegistry<string | { className: string }, Made>({
    kind: 'widget',
    builtins: [['LeakyWidget', ['leaky_widget', 'lw']], ['Plain', ['plain']], ['Zebra', []]],
    load: async () => {
      calls.load++;
      if (binds) lazy.bind((id) => ({ made: typeof id === 'string' ? id : id.className }));
      return {};
    },
    invalid,
  });
  return { lazy, calls };
}

/** A registry whose built-ins each name their module; two share one. */
function perModule() {
  const calls: string[] = [];
  const seen: [string, readonly string[], unknown][] = [];
  const module = (name: string, fail = { times: 0 }) => async () => {
    calls.push(name);
    if (fail.times > 0) {
      fail.times--;
      throw new Error(`chunk ${name} did not download`);
    }
    return { module: name };
  };
  const flaky = { times: 1 };
  const errors = module('errors');
  const builtins: LazyBuiltin[] = [
    ['AUC', ['auc'], module('auc')],
    ['MeanSquaredError', ['mean_squared_error', 'mse', 'MSE'], errors],
    ['MeanAbsoluteError', ['mean_absolute_error', 'mae'], errors],
    ['Recall', ['recall'], module('recall', flaky)],
  ];
  const lazy = createLazyRegistry<unknown, Made>({
    kind: 'metric',
    builtins,
    loose: false,
    invalid,
    onLoad: (className, names, loaded) => seen.push([className, names, loaded]),
  });
  return { lazy, calls, seen };
}

describe('createLazyRegistry before its code is loaded', () => {
  it('leaves built-in names for later (null), by any spelling a loose registry accepts', () => {
    const { lazy, calls } = wholeModule();
    for (const name of ['leaky_widget', 'LeakyWidget', 'leakyWidget', 'LEAKY-WIDGET', 'lw', 'plain', 'zebra']) {
      expect(lazy.resolve(name), name).toBeNull();
    }
    expect(lazy.resolve({ className: 'Plain' })).toBeNull();
    expect(lazy.loaded()).toBe(false);
    expect(calls.load).toBe(0);
  });

  it('rejects unknown names listing the known ones (sorted, class names where there are no others), and other values', () => {
    const { lazy } = wholeModule();
    expect(() => lazy.resolve('leaky_widgets')).toThrow(/^Unknown widget "leaky_widgets"\. Known widgets: Zebra, leaky_widget, lw, plain$/);
    expect(() => lazy.resolve({ className: 'Fancy' })).toThrow(/^Unknown widget "Fancy"\./);
    expect(() => lazy.resolve(7 as never)).toThrow('widgets.get: expects a widget name, got number');
    expect(() => lazy.resolve(null as never)).toThrow('widgets.get: expects a widget name, got object');
    expect(() => lazy.resolve({ className: 3 } as never)).toThrow('widgets.get: expects a widget name, got object');
    expect(lazy.unknown('x', ['mine', 'plain']).message).toBe('Unknown widget "x". Known widgets: Zebra, leaky_widget, lw, mine, plain');
  });

  it('keeps the order of the built-ins with sort: false, and says plural as told', () => {
    const lazy = createLazyRegistry<string, Made>({ kind: 'loss', plural: 'losses', sort: false, builtins: [['Zeta', []], ['Alpha', []]], invalid });
    expect(() => lazy.resolve('beta')).toThrow('Unknown loss "beta". Known losses: Zeta, Alpha');
  });

  it('an exact registry (loose: false) accepts class names, the names given and their camelCase, nothing else', () => {
    const { lazy } = perModule();
    for (const name of ['AUC', 'auc', 'MeanSquaredError', 'mean_squared_error', 'meanSquaredError', 'mse', 'MSE']) {
      expect(lazy.resolve(name), name).toBeNull();
    }
    for (const name of ['Auc', 'Mse', 'mean-squared-error', 'meansquarederror']) expect(() => lazy.resolve(name), name).toThrow(/^Unknown metric/);
  });
});

describe('createLazyRegistry loading the registry module', () => {
  it('loads it once for every built-in, then builds through the bound get', async () => {
    const { lazy, calls } = wholeModule();
    await lazy.load();
    expect(calls.load).toBe(1);
    expect(lazy.loaded()).toBe(true);
    expect(lazy.loaded(['plain', 'anything'])).toBe(true);
    expect(lazy.resolve('lw')).toEqual({ made: 'lw' });
    // a bound get decides everything, unknown names included
    expect(lazy.resolve('nope')).toEqual({ made: 'nope' });
    await lazy.load();
    await lazy.load(['plain']);
    expect(calls.load).toBe(1);
  });

  it('loads it for the names asked (shared loader: one call), not for unknown names or other values', async () => {
    const { lazy, calls } = wholeModule();
    expect(lazy.loaded(['nope', 42, { className: 'Other' }])).toBe(true);
    await lazy.load(['nope', 42]);
    expect(calls.load).toBe(0);
    expect(lazy.loaded(['lw', 'plain'])).toBe(false);
    await lazy.load(['lw', 'plain', { className: 'Zebra' }]);
    expect(calls.load).toBe(1);
    expect(lazy.loaded()).toBe(true);
  });

  it('a module that does not bind leaves names unresolved (null) but loaded', async () => {
    const { lazy, calls } = wholeModule(false);
    await lazy.load();
    expect(calls.load).toBe(1);
    expect(lazy.loaded()).toBe(false);
    expect(lazy.loaded(['plain'])).toBe(true);
    expect(lazy.resolve('plain')).toBeNull();
  });
});

describe('createLazyRegistry loading per built-in', () => {
  it('loads only the modules of the names asked, each once, and reports each built-in with its module', async () => {
    const { lazy, calls, seen } = perModule();
    expect(lazy.loaded(['auc', 'mse'])).toBe(false);
    await lazy.load(['meanSquaredError', { className: 'MeanAbsoluteError' }, 'mae', 'nope']);
    expect(calls).toEqual(['errors']);
    expect(seen).toEqual([
      ['MeanSquaredError', ['mean_squared_error', 'mse', 'MSE'], { module: 'errors' }],
      ['MeanAbsoluteError', ['mean_absolute_error', 'mae'], { module: 'errors' }],
    ]);
    expect(lazy.loaded(['mse', 'MeanAbsoluteError', 'nope'])).toBe(true);
    expect(lazy.loaded(['mse', 'auc'])).toBe(false);
    expect(lazy.loaded()).toBe(false);
    await lazy.load(['mse', 'auc']);
    expect(calls).toEqual(['errors', 'auc']);
    expect(seen.map(([c]) => c)).toEqual(['MeanSquaredError', 'MeanAbsoluteError', 'AUC']);
    // a built-in of a module loaded for another is reported when it is asked for
    await lazy.load(['mse', 'mae', 'auc']);
    expect(calls).toEqual(['errors', 'auc']);
    const partial = perModule();
    await partial.lazy.load(['mse']);
    expect(partial.lazy.loaded(['mae'])).toBe(false);
    await partial.lazy.load(['mae', 'MSE']);
    expect(partial.calls).toEqual(['errors', 'errors']);
    expect(partial.seen.map(([c]) => c)).toEqual(['MeanSquaredError', 'MeanAbsoluteError']);
    // two loads at once: both run the loader, each built-in is reported once
    const both = perModule();
    await Promise.all([both.lazy.load(['auc']), both.lazy.load(['AUC', 'mse'])]);
    expect([...both.calls].sort()).toEqual(['auc', 'auc', 'errors']);
    expect(both.seen.map(([c]) => c).sort()).toEqual(['AUC', 'MeanSquaredError']);
    // no get is bound: names stay for the package to build (resolve says null)
    expect(lazy.resolve('auc')).toBeNull();
  });

  it('a loader that fails rejects the load and runs again on the next one', async () => {
    const { lazy, calls, seen } = perModule();
    await expect(lazy.load(['recall'])).rejects.toThrow('chunk recall did not download');
    expect(lazy.loaded(['recall'])).toBe(false);
    expect(seen).toEqual([]);
    await lazy.load(['recall']);
    expect(calls).toEqual(['recall', 'recall']);
    expect(lazy.loaded(['recall'])).toBe(true);
    expect(seen).toEqual([['Recall', ['recall'], { module: 'recall' }]]);
  });

  it('load() without names loads every built-in; once get is bound nothing loads or is reported', async () => {
    const all = perModule();
    await expect(all.lazy.load()).rejects.toThrow('chunk recall did not download');
    await all.lazy.load();
    // the failed load marked nothing loaded: the second one runs every loader again
    expect(all.calls).toEqual(['auc', 'errors', 'recall', 'auc', 'errors', 'recall']);
    expect(all.lazy.loaded(['auc', 'mse', 'mae', 'recall'])).toBe(true);

    const bound = perModule();
    const pending = bound.lazy.load(['auc']);
    // the registry module ran meanwhile: it registered every built-in itself
    bound.lazy.bind((id) => ({ made: String(id) }));
    await pending;
    expect(bound.seen).toEqual([]);
    await bound.lazy.load(['mse']);
    expect(bound.calls).toEqual(['auc']);
    expect(bound.lazy.loaded()).toBe(true);
    expect(bound.lazy.resolve('mse')).toEqual({ made: 'mse' });
  });
});
