// compile's loss resolver (@neurona/models resolves compile's losses through it): in a bundle that
// never imports `get`, a Loss or a function works at once, a built-in name is checked and waits
// for `loadLosses`, and once the registry is loaded names resolve to what `get` builds. This file
// imports the resolver's module, not the package index (which, as in Node, loads the registry).
import { describe, expect, it } from 'vitest';
import { memory, sub, tensor2d, type Tensor } from '@neurona/tensor';
import { loadLosses, lossesLoaded, resolveLoss, BUILTIN_LOSSES } from '../src/resolve';
import { CategoricalCrossentropy } from '../src/categorical-crossentropy';

describe('resolveLoss before the registry loads (a bundle that passes loss objects)', () => {
  it('returns a Loss as is, wraps a function, and leaves built-in names for later (null)', () => {
    const n = memory().numTensors;
    expect(lossesLoaded()).toBe(false);
    const cce = CategoricalCrossentropy();
    expect(resolveLoss(cce)).toBe(cce);
    const wrapped = resolveLoss((t: Tensor, p: Tensor) => sub(t, p));
    expect(wrapped?.className).toBe('LossFunctionWrapper');
    for (const name of ['categorical_crossentropy', 'categoricalCrossentropy', 'CategoricalCrossentropy', 'MSE', 'kld', 'huber_loss']) {
      expect(resolveLoss(name)).toBeNull();
    }
    expect(resolveLoss({ className: 'SparseCategoricalCrossentropy', config: { fromLogits: true } })).toBeNull();
    expect(memory().numTensors).toBe(n);
  });

  it('rejects unknown names listing the built-ins, and values of another kind', () => {
    expect(() => resolveLoss('categorical_crossentropyy')).toThrow(
      /^Unknown loss "categorical_crossentropyy"\. Known losses: binary_crossentropy, categorical_crossentropy, categorical_hinge, .*mse, msle, poisson, sparse_categorical_crossentropy, squared_hinge$/,
    );
    expect(() => resolveLoss({ className: 'Focal' })).toThrow(/^Unknown loss "Focal"\. Known losses: /);
    expect(() => resolveLoss(42 as never)).toThrow('losses.get: expects a loss name, a Loss, a function or { className, config }, got 42');
    expect(lossesLoaded()).toBe(false);
  });

  it('the wrapped function and the loss object compute without the registry, leaving no tensors', () => {
    const n = memory().numTensors;
    const y = tensor2d([[0, 1], [1, 0]]);
    const p = tensor2d([[0.2, 0.8], [0.6, 0.4]]);
    const loss = resolveLoss(CategoricalCrossentropy()) as NonNullable<ReturnType<typeof resolveLoss>>;
    const v = loss(y, p);
    // mean of -log(0.8) and -log(0.6)
    expect(v.dataSync()[0]).toBeCloseTo((-Math.log(0.8) - Math.log(0.6)) / 2, 5);
    v.dispose();
    y.dispose();
    p.dispose();
    expect(memory().numTensors).toBe(n);
  });
});

describe('resolveLoss once loadLosses has run', () => {
  it('builds names as `get` does, with the same unknown-name message', async () => {
    await loadLosses();
    expect(lossesLoaded()).toBe(true);
    await loadLosses(); // at once the second time
    const { get, registry } = await import('../src/registry');
    const cce = resolveLoss('categoricalCrossentropy');
    expect(cce?.className).toBe('CategoricalCrossentropy');
    const scce = resolveLoss({ className: 'SparseCategoricalCrossentropy', config: { fromLogits: true } });
    expect(scce?.getConfig()).toMatchObject({ fromLogits: true });
    let early = '';
    let late = '';
    try { get('nope'); } catch (e) { late = (e as Error).message; }
    // the pre-load message lists exactly the built-ins the registry lists
    expect(late).toBe(`Unknown loss "nope". Known losses: ${BUILTIN_LOSSES.flatMap(([, names]) => names).sort().join(', ')}`);
    try { resolveLoss('nope'); } catch (e) { early = (e as Error).message; }
    expect(early).toBe(late);
    // every name of the table is a built-in of the registry, under the same class
    for (const [className, names] of BUILTIN_LOSSES) {
      expect(registry.isBuiltin(className)).toBe(true);
      for (const name of names) expect(get(name).className).toBe(className);
    }
  });
});
