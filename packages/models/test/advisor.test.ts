import { describe, expect, it } from 'vitest';
import { Activation, Dense, Flatten, Input } from '@neurona/layers';
import { Adam, SGD } from '@neurona/optimizers';
import { CategoricalCrossentropy } from '@neurona/losses';
import { Sequential } from '../src/sequential';
import { Model } from '../src/functional';
import { advise } from '../src/advisor';
import type { Finding } from '../src/finding';

const codes = (fs: Finding[]) => fs.map((f) => f.code);

function mlp(hidden: { activation: string; kernelInitializer?: string }[], out: { units: number; activation: string }) {
  const m = Sequential();
  m.add(Flatten({ inputShape: [4] }));
  for (const h of hidden) m.add(Dense(8, h));
  m.add(Dense(out.units, { activation: out.activation }));
  return m;
}

describe('advise', () => {
  it('is quiet for the defaults of the seed', () => {
    const m = mlp([], { units: 10, activation: 'softmax' });
    m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.01), metrics: ['accuracy'] });
    expect(advise(m)).toEqual([]);
    expect(advise(m, { batchSize: 32 })).toEqual([]);
  });

  it('ReLU with zeros, ones or constant kernels: symmetry, may never train', () => {
    for (const init of ['zeros', 'ones', 'constant']) {
      const m = mlp([{ activation: 'relu', kernelInitializer: init }], { units: 3, activation: 'softmax' });
      const f = advise(m).find((x) => x.code === 'relu-constant-init');
      expect(f?.level).toBe('warning');
      expect(f?.message).toMatch(/uses relu with kernelInitializer .*symmetry.*may never start training.*glorot_uniform.*he_normal/);
    }
    // a linear Dense followed by an Activation('relu') layer counts as ReLU
    const m = Sequential([Dense(8, { inputShape: [4], kernelInitializer: 'zeros' }), Activation('relu'), Dense(1)]);
    expect(codes(advise(m))).toContain('relu-constant-init');
    // other activations with a constant kernel: symmetry as well
    const t = mlp([{ activation: 'tanh', kernelInitializer: 'ones' }], { units: 3, activation: 'softmax' });
    expect(codes(advise(t))).toContain('constant-init');
  });

  it('sigmoid/tanh: vanishing gradients in deep stacks, a hint in shallow ones', () => {
    const deep = mlp([{ activation: 'sigmoid' }, { activation: 'sigmoid' }, { activation: 'tanh' }], { units: 3, activation: 'softmax' });
    const f = advise(deep).find((x) => x.code === 'vanishing-gradients');
    expect(f?.level).toBe('warning');
    expect(f?.message).toMatch(/3 hidden layers with sigmoid\/tanh.*gradients vanish.*ReLU/);
    const shallow = mlp([{ activation: 'sigmoid' }], { units: 3, activation: 'softmax' });
    expect(advise(shallow).map((x) => [x.code, x.level])).toEqual([['saturating-hidden-activation', 'info']]);
  });

  it('output activation against the loss', () => {
    const cases: [string, number, string, string][] = [
      ['softmax', 3, 'binary_crossentropy', 'softmax-binary-crossentropy'],
      ['sigmoid', 3, 'categorical_crossentropy', 'sigmoid-categorical-crossentropy'],
      ['sigmoid', 3, 'sparse_categorical_crossentropy', 'sigmoid-categorical-crossentropy'],
      ['linear', 3, 'categorical_crossentropy', 'linear-crossentropy'],
      ['linear', 1, 'binary_crossentropy', 'linear-crossentropy'],
      ['softmax', 1, 'mse', 'probability-output-regression'],
      ['sigmoid', 1, 'mean_absolute_error', 'probability-output-regression'],
      ['softmax', 1, 'categorical_crossentropy', 'softmax-single-unit'],
    ];
    for (const [act, units, loss, code] of cases) {
      const m = mlp([], { units, activation: act });
      m.compile({ loss, optimizer: 'sgd' });
      expect(codes(advise(m)), `${act} + ${loss}`).toContain(code);
    }
    const logits = mlp([], { units: 3, activation: 'softmax' });
    logits.compile({ loss: CategoricalCrossentropy({ fromLogits: true }), optimizer: 'sgd' });
    expect(codes(advise(logits))).toContain('probabilities-from-logits');
    const fine = mlp([], { units: 3, activation: 'linear' });
    fine.compile({ loss: CategoricalCrossentropy({ fromLogits: true }), optimizer: 'sgd' });
    expect(advise(fine)).toEqual([]);
    const reg = mlp([{ activation: 'relu' }], { units: 1, activation: 'linear' });
    reg.compile({ loss: 'mse', optimizer: 'adam' });
    expect(advise(reg)).toEqual([]);
  });

  it('the output activation may come from an Activation layer (functional)', () => {
    const inputs = Input({ shape: [4] });
    const out = Activation('sigmoid')(Dense(3)(inputs));
    const m = Model({ inputs, outputs: out });
    m.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd' });
    expect(codes(advise(m))).toContain('sigmoid-categorical-crossentropy');
  });

  it('learning rate outside the usual range for the optimizer', () => {
    const m = mlp([], { units: 3, activation: 'softmax' });
    m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(5) });
    expect(advise(m).find((f) => f.code === 'learning-rate-high')?.message).toMatch(/Learning rate 5 is above the usual range for SGD \(0\.0001 to 1\)/);
    m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(1e-6) });
    expect(codes(advise(m))).toContain('learning-rate-low');
    m.compile({ loss: 'categorical_crossentropy', optimizer: Adam(0.1) });
    expect(advise(m).find((f) => f.code === 'learning-rate-high')?.message).toMatch(/for Adam \(0\.00001 to 0\.01\)|for Adam \(0\.00001|for Adam \(1e-5 to 0\.01\)/);
    m.compile({ loss: 'categorical_crossentropy', optimizer: Adam(0.001) });
    expect(codes(advise(m))).not.toContain('learning-rate-high');
  });

  it('batch size and learning rate changed one without the other', () => {
    const m = mlp([], { units: 3, activation: 'softmax' });
    m.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd' });
    expect(advise(m, { batchSize: 256 }).find((f) => f.code === 'batch-size-without-learning-rate')?.message).toMatch(
      /batch size 256 but kept SGD's default learning rate 0\.01.*intimately linked/,
    );
    expect(codes(advise(m, { batchSize: 'full' }))).toContain('batch-size-without-learning-rate');
    expect(advise(m, { batchSize: 'full' })[0].message).toMatch(/full-batch gradient descent/);
    m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1) });
    expect(codes(advise(m))).toEqual(['learning-rate-without-batch-size']);
    expect(codes(advise(m, { batchSize: 128 }))).toEqual([]);
  });

  it('batch size not a power of two is info only', () => {
    const m = mlp([], { units: 3, activation: 'softmax' });
    m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.05) });
    const f = advise(m, { batchSize: 100 });
    expect(f.map((x) => [x.code, x.level])).toEqual([['batch-size-not-power-of-two', 'info']]);
    expect(f[0].message).toMatch(/Batch size 100 is not a power of two; powers of two \(64, 128\)/);
    expect(advise(m, { batchSize: 64 })).toEqual([]);
  });

  it('works on a model that is not built or compiled yet', () => {
    const m = Sequential([Flatten(), Dense(8, { activation: 'relu', kernelInitializer: 'zeros' }), Dense(10, { activation: 'softmax' })]);
    expect(codes(advise(m))).toEqual(['relu-constant-init']);
  });
});
