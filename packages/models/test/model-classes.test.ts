// Sequential and Functional as classes of the layer registry (issue 17, light pages): importing
// the package registers them, registering again changes nothing, and the loading functions
// register them themselves (what a tree-shaken bundle, which drops the import-time call, relies on).
import { describe, expect, it } from 'vitest';
import { Dense, Input, registry, deserializeLayer, serializeLayer } from '@neurona/layers';
import { Model, Sequential, SequentialModel, FunctionalModel, modelClassesRegistered, registerModelClasses, modelFromConfig } from '../src/index';

describe('registerModelClasses', () => {
  it('importing @neurona/models registers Sequential, Functional and the alias Model', () => {
    expect(modelClassesRegistered).toBe(true);
    for (const name of ['Sequential', 'Functional', 'Model']) expect(registry.has(name), name).toBe(true);
    expect(registry.isBuiltin('Sequential')).toBe(true);
    expect(registry.names()).not.toContain('Model'); // an alias: found, not listed
  });

  it('is idempotent, and the built-in layers are there too (the registry filled them on first use)', () => {
    const before = registry.names();
    expect(registerModelClasses()).toBe(true);
    expect(registerModelClasses()).toBe(true);
    expect(registry.names()).toEqual(before);
    for (const name of ['Dense', 'LSTM', 'Conv2D', 'TextVectorization', 'MultiHeadAttention']) expect(registry.has(name), name).toBe(true);
  });

  it('deserializeLayer and modelFromConfig rebuild both kinds from getConfig', () => {
    const seq = Sequential([Dense(3, { inputShape: [4], name: 'd1' }), Dense(2, { name: 'd2' })]);
    const back = deserializeLayer(serializeLayer(seq));
    expect(back).toBeInstanceOf(SequentialModel);
    expect((back as SequentialModel).layers.map((l) => l.name)).toEqual(['d1', 'd2']);
    const x = Input({ shape: [4], name: 'x' });
    const fn = Model({ inputs: x, outputs: Dense(2, { name: 'out' })(x) });
    const again = modelFromConfig('Functional', fn.getConfig());
    expect(again).toBeInstanceOf(FunctionalModel);
    expect(again.outputs[0].shape).toEqual([null, 2]);
    for (const m of [seq, back as SequentialModel, fn, again]) m.dispose();
  });
});
