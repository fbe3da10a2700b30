// compile's optimizer resolver (@neurona/models resolves compile's optimizer through it): in a
// bundle that never imports `get`, an Optimizer works at once, a built-in name is checked and
// waits for `loadOptimizers`, and once the registry is loaded names resolve to what `get` builds.
// This file imports the resolver's module, not the package index (which, as in Node, loads it).
import { describe, expect, it } from 'vitest';
import { memory } from '@neurona/tensor';
import { BUILTIN_OPTIMIZERS, loadOptimizers, optimizersLoaded, resolveOptimizer } from '../src/resolve';
import { Adam } from '../src/adam';

describe('resolveOptimizer before the registry loads (a bundle that passes optimizer objects)', () => {
  it('returns an optimizer as is and leaves built-in names for later (null)', () => {
    const n = memory().numTensors;
    expect(optimizersLoaded()).toBe(false);
    const adam = Adam(0.01);
    expect(resolveOptimizer(adam)).toBe(adam);
    for (const name of ['adam', 'ADAM', 'SGD', 'rmsprop', 'ada_grad', 'AdamW']) expect(resolveOptimizer(name)).toBeNull();
    expect(resolveOptimizer({ className: 'RMSprop', config: { learningRate: 0.1 } })).toBeNull();
    adam.dispose();
    expect(memory().numTensors).toBe(n);
  });

  it('rejects unknown names listing the built-ins, and values of another kind', () => {
    expect(() => resolveOptimizer('adamax')).toThrow('Unknown optimizer "adamax". Known optimizers: SGD, Adam, AdamW, RMSprop, Adagrad');
    expect(() => resolveOptimizer({ className: 'Lion', config: {} })).toThrow(/^Unknown optimizer "Lion"\. /);
    expect(() => resolveOptimizer(7 as never)).toThrow('Expected an optimizer name (SGD, Adam, AdamW, RMSprop, Adagrad), an optimizer or { className, config }, got number');
    expect(optimizersLoaded()).toBe(false);
  });
});

describe('resolveOptimizer once loadOptimizers has run', () => {
  it('builds names as `get` does, with the same messages', async () => {
    await loadOptimizers();
    expect(optimizersLoaded()).toBe(true);
    const { get, registry } = await import('../src/registry');
    const n = memory().numTensors;
    const made = resolveOptimizer({ className: 'RMSprop', config: { learningRate: 0.1 } });
    expect([made?.className, made?.learningRate]).toEqual(['RMSprop', 0.1]);
    made?.dispose();
    expect(memory().numTensors).toBe(n);
    expect(registry.names()).toEqual([...BUILTIN_OPTIMIZERS]);
    let early = '';
    try { get('adamax'); } catch (e) { early = (e as Error).message; }
    expect(early).toBe('Unknown optimizer "adamax". Known optimizers: SGD, Adam, AdamW, RMSprop, Adagrad');
    expect(() => resolveOptimizer(7 as never)).toThrow('Expected an optimizer name (SGD, Adam, AdamW, RMSprop, Adagrad), an optimizer or { className, config }, got number');
  });
});
