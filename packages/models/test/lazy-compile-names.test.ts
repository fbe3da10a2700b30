// compile's loss and optimizer names in a page's bundle: there @neurona/losses' and
// @neurona/optimizers' registries are not loaded unless something imports `get`, so compile checks
// a name against the built-ins and leaves it pending; fit and evaluate load the registry and build
// it before anything runs. In Node importing the packages loads the registries, so this file mocks
// their resolvers into the bundle's state: names resolve only after load*() was called.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { memory, dispose } from '@neurona/tensor';
import { Dense, resetNames } from '@neurona/layers';
import type { LossIdentifier } from '@neurona/losses';
import type { OptimizerIdentifier } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import { syntheticMnist } from './helpers';

const state = vi.hoisted(() => ({ optimizers: false, losses: false, loads: [] as string[] }));

vi.mock('@neurona/optimizers', async (importOriginal) => {
  const real = await importOriginal<typeof import('@neurona/optimizers')>();
  return {
    ...real,
    optimizersLoaded: () => state.optimizers,
    loadOptimizers: async () => {
      state.loads.push('optimizers');
      state.optimizers = true;
    },
    resolveOptimizer: (id: OptimizerIdentifier) => {
      if (state.optimizers || real.isOptimizer(id)) return real.resolveOptimizer(id);
      real.get(id).dispose(); // the check a bundle's resolver makes (unknown names throw)
      return null;
    },
  };
});

vi.mock('@neurona/losses', async (importOriginal) => {
  const real = await importOriginal<typeof import('@neurona/losses')>();
  return {
    ...real,
    lossesLoaded: () => state.losses,
    loadLosses: async () => {
      state.loads.push('losses');
      state.losses = true;
    },
    resolveLoss: (id: LossIdentifier) => {
      if (state.losses || typeof id === 'function') return real.resolveLoss(id);
      real.get(id); // the check a bundle's resolver makes (unknown names throw)
      return null;
    },
  };
});

const { Adam } = await import('@neurona/optimizers');
const { CategoricalCrossentropy } = await import('@neurona/losses');

beforeEach(() => {
  resetNames();
  state.optimizers = false;
  state.losses = false;
  state.loads = [];
});

function mlp(seed: number) {
  return Sequential([Dense(8, { inputShape: [784], activation: 'relu', kernelInitializer: { className: 'GlorotUniform', config: { seed } } }), Dense(10, { activation: 'softmax', kernelInitializer: { className: 'GlorotUniform', config: { seed: seed + 1 } } })]);
}

function data() {
  const { x, y, labels } = syntheticMnist(64, 3);
  const flat = x.reshape([64, 784]);
  dispose([x, labels]);
  return { x: flat, y };
}

describe('compile with names whose registries a bundle has not loaded', () => {
  it('checks the names, leaves the optimizer pending, and fit builds them: same training as objects', async () => {
    const { x, y } = data();
    const before = memory().numTensors;
    const named = mlp(11);
    expect(() => named.compile({ loss: 'categorical_crossentropyy', optimizer: 'adam' })).toThrow(/^Unknown loss "categorical_crossentropyy"\. Known losses: /);
    expect(() => named.compile({ loss: 'categorical_crossentropy', optimizer: 'adamm' })).toThrow(/^Unknown optimizer "adamm"\. Known optimizers: SGD, Adam/);
    named.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
    expect(named.isCompiled).toBe(true);
    expect(named.optimizer).toBeNull();
    expect(state.loads).toEqual([]);
    const hNamed = await named.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    expect(state.loads.sort()).toEqual(['losses', 'optimizers']);
    expect(named.optimizer.className).toBe('Adam');
    expect(named.optimizer.iterations).toBe(8);

    state.loads = [];
    const objects = mlp(11);
    objects.compile({ loss: CategoricalCrossentropy(), optimizer: Adam(), metrics: ['accuracy'] });
    const hObjects = await objects.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    expect(state.loads).toEqual([]);
    expect(hNamed.history.loss).toHaveLength(2);
    for (const k of ['loss', 'accuracy'] as const) {
      hNamed.history[k].forEach((v, i) => expect(v).toBeCloseTo(hObjects.history[k][i], 5));
    }
    const objectsOptimizer = objects.optimizer;
    named.dispose();
    objects.dispose();
    objectsOptimizer.dispose(); // the user's optimizer: the model leaves it alone
    expect(memory().numTensors).toBe(before);
    dispose([x, y]);
  });

  it('evaluate builds a pending loss too; compiling again before fit drops the pending optimizer without leaks', async () => {
    const { x, y } = data();
    const before = memory().numTensors;
    const model = mlp(5);
    model.compile({ loss: 'categorical_crossentropy', optimizer: 'rmsprop', metrics: ['accuracy'] });
    const opt = Adam(0.01);
    model.compile({ loss: 'categorical_crossentropy', optimizer: opt, metrics: ['accuracy'] });
    expect(model.optimizer).toBe(opt);
    const result = (await model.evaluate(x, y, { verbose: 0, returnDict: true })) as Record<string, number>;
    expect(state.loads).toEqual(['losses']);
    expect(result.loss).toBeGreaterThan(0);
    expect(Object.keys(result).sort()).toEqual(['accuracy', 'loss']);
    await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
    expect(opt.iterations).toBe(2);
    model.dispose();
    opt.dispose();
    expect(memory().numTensors).toBe(before);
    dispose([x, y]);
  });

  it('a pending optimizer is built once something else has loaded the registry (a save path imports it)', async () => {
    const { x, y } = data();
    const before = memory().numTensors;
    const model = mlp(3);
    model.compile({ loss: 'categorical_crossentropy', optimizer: { className: 'SGD', config: { learningRate: 0.05 } } });
    expect(model.optimizer).toBeNull();
    state.optimizers = true; // as when the save chunk (which imports the registry) has loaded
    const opt = model.optimizer;
    expect([opt.className, opt.learningRate]).toEqual(['SGD', 0.05]);
    expect(model.optimizer).toBe(opt);
    await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
    expect(model.optimizer).toBe(opt);
    expect(opt.iterations).toBe(1);
    expect(state.loads).toEqual(['losses']);
    model.dispose();
    expect(memory().numTensors).toBe(before);
    dispose([x, y]);
  });

  it('a model disposed while its optimizer is pending releases everything', () => {
    const before = memory().numTensors;
    const model = mlp(7);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    expect(model.optimizer).toBeNull();
    model.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
