import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as L from '../src/index';

const v = (t: T.Tensor) => Array.from(t.dataSync());
function close(actual: number[], expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], digits));
}

// Keras's documented examples (keras.io/api/losses), exact values recomputed with numpy (Keras's
// float32 clip bounds): [loss, yTrue, yPred, weights, mean, weighted mean, sum, none]
const keras: [() => L.Loss, number[][], number[][], number[], number, number, number, number[]][] = [
  [() => L.MeanSquaredError(), [[0, 1], [0, 0]], [[1, 1], [1, 0]], [0.7, 0.3], 0.5, 0.25, 1.0, [0.5, 0.5]],
  [() => L.MeanAbsoluteError(), [[0, 1], [0, 0]], [[1, 1], [1, 0]], [0.7, 0.3], 0.5, 0.25, 1.0, [0.5, 0.5]],
  [() => L.BinaryCrossentropy(), [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], [1, 0],
    0.814924454847114, 0.4581453659370775, 1.629848909694228, [0.916290731874155, 0.7135581778200728]],
  [() => L.CategoricalCrossentropy(), [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], [0.3, 0.7],
    1.176939193690798, 0.8135987767060484, 2.353878387381596, [0.05129329438755058, 2.3025850929940455]],
  [() => L.Huber(), [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], [1, 0], 0.155, 0.09, 0.31, [0.18, 0.13]],
  [() => L.Hinge(), [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], [1, 0], 1.3, 0.55, 2.6, [1.1, 1.5]],
  [() => L.KLDivergence(), [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], [0.8, 0.2],
    0.45814304511980347, 0.3665153603681013, 0.9162860902396069, [0.9162891711471353, -3.080907528294215e-6]],
];

describe("Keras's documented examples: reductions and sample weights", () => {
  for (const [make, yt, yp, w, mean, weighted, sum, none] of keras) {
    it(make().className, () => {
      const t = T.tensor2d(yt);
      const p = T.tensor2d(yp);
      const loss = make();
      close(v(loss(t, p)), [mean]);
      close(v(loss(t, p, T.tensor1d(w))), [weighted]);
      // [batch, 1] weights and a 'sum' / 'none' reduction
      close(v(loss(t, p, T.tensor2d(w.map((x) => [x])))), [weighted]);
      const config = { ...loss.getConfig() };
      close(v(L.get({ className: loss.className, config: { ...config, reduction: 'sum' } })(t, p)), [sum]);
      close(v(L.get({ className: loss.className, config: { ...config, reduction: 'none' } })(t, p)), none);
      close(v(L.get({ className: loss.className, config: { ...config, reduction: 'none' } })(t, p, T.tensor1d(w))), none.map((x, i) => x * w[i]));
    });
  }

  it("SparseCategoricalCrossentropy, Keras's example (labels [1, 2])", () => {
    const p = T.tensor2d([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
    close(v(L.SparseCategoricalCrossentropy()(T.tensor1d([1, 2]), p)), [1.176939193690798]);
    close(v(L.SparseCategoricalCrossentropy()(T.tensor1d([1, 2]), p, T.tensor1d([0.3, 0.7]))), [0.8135987767060484]);
  });

  it("'mean' divides the weighted sum by the number of samples, not by the weights' sum (Keras)", () => {
    const loss = L.MeanSquaredError();
    close(v(loss(T.tensor2d([[0], [0]]), T.tensor2d([[1], [3]]), T.tensor1d([1, 0]))), [0.5]);
    // Keras's 'sum_over_batch_size' and 'auto' are accepted spellings of 'mean'
    expect(L.MeanSquaredError({ reduction: 'sum_over_batch_size' }).reduction).toBe('mean');
  });

  it('a scalar sample weight scales every sample', () => {
    close(v(L.MeanSquaredError()(T.tensor2d([[0], [0]]), T.tensor2d([[1], [3]]), T.scalar(2))), [10]);
  });
});

describe('shapes', () => {
  it('[batch] labels with [batch, 1] predictions are aligned as Keras does; rank 1 is one value per sample', () => {
    close(v(L.BinaryCrossentropy({ reduction: 'none' })(T.tensor1d([1, 0]), T.tensor2d([[0.9], [0.2]]))), [-Math.log(0.9), -Math.log(0.8)]);
    close(v(L.MeanSquaredError({ reduction: 'none' })(T.tensor1d([1, 2]), T.tensor1d([2, 4]))), [1, 4]);
    close(v(L.categoricalCrossentropy(T.tensor1d([0, 1]), T.tensor1d([0.25, 0.75]))), [-Math.log(0.75)]);
  });

  it('mismatched shapes throw with both shapes', () => {
    const p = T.zeros([32, 10]);
    expect(() => L.MeanSquaredError()(T.zeros([32, 5]), p)).toThrow(
      'mean_squared_error: yTrue and yPred must have the same shape, got yTrue [32, 5] and yPred [32, 10]',
    );
    expect(() => L.CategoricalCrossentropy()(T.zeros([32]), p)).toThrow(
      'categorical_crossentropy: yTrue and yPred must have the same shape, got yTrue [32] and yPred [32, 10]. ' +
        'yTrue looks like integer class labels: use sparse_categorical_crossentropy, or one-hot encode them with oneHot(labels, 10)',
    );
    expect(() => L.CategoricalCrossentropy({ fromLogits: true })(T.zeros([32, 12]), p)).toThrow(
      /got yTrue \[32, 12\] and yPred \[32, 10\]. yTrue has 12 classes but yPred has 10 units/,
    );
    expect(() => L.softmaxCrossEntropyFromLogits(T.zeros([8, 10]), p)).toThrow(/got yTrue \[8, 10\] and yPred \[32, 10\]/);
    expect(() => L.SparseCategoricalCrossentropy()(T.zeros([32, 10]), p)).toThrow(
      'sparse_categorical_crossentropy: expects integer labels yTrue of shape [32] (or [32, 1]) for yPred [32, 10], ' +
        'got yTrue [32, 10]. yTrue looks one-hot encoded: use categorical_crossentropy, or pass yTrue.argMax(-1)',
    );
    expect(() => L.MeanSquaredError()(T.zeros([2, 1]), T.zeros([2, 1]), T.ones([3]))).toThrow(
      'mean_squared_error: sampleWeight must have shape [2] (one weight per sample) or [2, 1], got [3]',
    );
    expect(() => L.Hinge()(T.scalar(1), T.scalar(1))).toThrow(/expects yTrue and yPred with a batch axis, got yTrue \[\] and yPred \[\]/);
  });

  it('sparse labels outside [0, classes) are an error (more classes than units)', () => {
    expect(() => L.SparseCategoricalCrossentropy()(T.tensor1d([0, 12]), T.zeros([2, 10]))).toThrow(
      'sparse_categorical_crossentropy: labels must be integers in [0, 10) for yPred with 10 units, found label 12; ' +
        'the model has fewer output units than classes',
    );
    expect(() => L.sparseCategoricalCrossentropy(T.tensor1d([0, 1.5]), T.zeros([2, 10]))).toThrow(/labels must be integers, found 1.5/);
    // the check can be turned off (it reads the labels back from the backend)
    expect(L.SparseCategoricalCrossentropy({ checkLabels: false })(T.tensor1d([0, 12]), T.fill([2, 10], 0.1)).shape).toEqual([]);
  });
});

describe('configuration', () => {
  it('invalid options throw at construction with expected and found', () => {
    expect(() => L.CategoricalCrossentropy({ labelSmoothing: 1.5 })).toThrow(
      'CategoricalCrossentropy: labelSmoothing must be a number in [0, 1], got 1.5',
    );
    expect(() => L.CategoricalCrossentropy({ labelSmoothing: NaN })).toThrow('labelSmoothing must be a number in [0, 1], got NaN');
    expect(() => L.BinaryCrossentropy({ labelSmoothing: -0.1 })).toThrow('BinaryCrossentropy: labelSmoothing must be a number in [0, 1], got -0.1');
    expect(() => L.Huber({ delta: 0 })).toThrow('Huber: delta must be a finite number > 0, got 0');
    expect(() => L.Huber({ delta: NaN })).toThrow('Huber: delta must be a finite number > 0, got NaN');
    expect(() => L.MeanSquaredError({ reduction: 'avg' as L.Reduction })).toThrow(
      `MeanSquaredError: reduction must be one of 'mean', 'sum', 'none' (or Keras's 'sum_over_batch_size'), got "avg"`,
    );
    expect(() => L.CategoricalCrossentropy({ fromLogit: true } as L.CategoricalCrossentropyOptions)).toThrow(
      'CategoricalCrossentropy: unknown option "fromLogit" (did you mean "fromLogits"?). Known options: name, reduction, fromLogits, labelSmoothing',
    );
    expect(() => L.softmaxCrossEntropyFromLogits(T.zeros([1, 2]), T.zeros([1, 2]), 2)).toThrow(
      'softmaxCrossEntropyFromLogits: labelSmoothing must be a number in [0, 1], got 2',
    );
  });

  it('losses carry className, name, reduction and getConfig', () => {
    const loss = L.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
    expect(loss.className).toBe('CategoricalCrossentropy');
    expect(loss.name).toBe('categorical_crossentropy');
    expect(loss.getConfig()).toEqual({ name: 'categorical_crossentropy', reduction: 'mean', fromLogits: true, labelSmoothing: 0.1 });
    expect(L.Huber({ delta: 2, name: 'h' }).getConfig()).toEqual({ name: 'h', reduction: 'mean', delta: 2 });
    expect(L.MeanSquaredError().name).toBe('mean_squared_error');
  });
});

describe('get, serialize, registry, registerLoss', () => {
  it('resolves Keras names, aliases, camelCase and class names', () => {
    const table: [string, string][] = [
      ['categorical_crossentropy', 'CategoricalCrossentropy'],
      ['categoricalCrossentropy', 'CategoricalCrossentropy'],
      ['CategoricalCrossentropy', 'CategoricalCrossentropy'],
      ['mse', 'MeanSquaredError'],
      ['mean_squared_error', 'MeanSquaredError'],
      ['meanSquaredError', 'MeanSquaredError'],
      ['mae', 'MeanAbsoluteError'],
      ['mean_absolute_error', 'MeanAbsoluteError'],
      ['mape', 'MeanAbsolutePercentageError'],
      ['msle', 'MeanSquaredLogarithmicError'],
      ['binary_crossentropy', 'BinaryCrossentropy'],
      ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'],
      ['huber', 'Huber'],
      ['huber_loss', 'Huber'],
      ['hinge', 'Hinge'],
      ['squared_hinge', 'SquaredHinge'],
      ['categorical_hinge', 'CategoricalHinge'],
      ['kl_divergence', 'KLDivergence'],
      ['kld', 'KLDivergence'],
      ['kullback_leibler_divergence', 'KLDivergence'],
      ['log_cosh', 'LogCosh'],
      ['logcosh', 'LogCosh'],
      ['poisson', 'Poisson'],
    ];
    for (const [name, cls] of table) expect([name, L.get(name).className]).toEqual([name, cls]);
    expect(L.registry.get('mse')).toBe(L.registry.get('MeanSquaredError'));
  });

  it('unknown names list the known ones', () => {
    expect(() => L.get('categorical_crossentropyy')).toThrow(
      /^Unknown loss "categorical_crossentropyy". Known losses: .*binary_crossentropy, categorical_crossentropy, .*mse/,
    );
  });

  it('objects pass through, plain functions are wrapped, serialized forms round-trip', () => {
    const loss = L.Huber({ delta: 0.5, reduction: 'sum' });
    expect(L.get(loss)).toBe(loss);
    const s = L.serialize(loss);
    expect(s).toEqual({ className: 'Huber', config: { name: 'huber', reduction: 'sum', delta: 0.5 } });
    const back = L.get(s);
    expect(back.getConfig()).toEqual(loss.getConfig());
    const t = T.tensor2d([[0, 2]]);
    const p = T.tensor2d([[1, 0]]);
    close(v(back(t, p)), v(loss(t, p)));

    const wrapped = L.get(function myLoss(a: T.Tensor, b: T.Tensor) {
      return T.mean(T.abs(T.sub(a, b)), -1);
    });
    expect([wrapped.className, wrapped.name, wrapped.reduction]).toEqual(['LossFunctionWrapper', 'myLoss', 'mean']);
    close(v(wrapped(T.tensor2d([[0, 0], [0, 0]]), T.tensor2d([[1, 1], [3, 3]]))), [2]);
  });

  it('registerLoss adds a contributed loss by name, as an object or a factory', () => {
    const focal = L.LossFunctionWrapper((t, p) => T.mean(T.square(T.sub(t, p)), -1), { name: 'my_focal' });
    L.registerLoss('my_focal', focal);
    expect(L.get('my_focal')).toBe(focal);
    L.registerLoss('ScaledMse', (config?: L.LossConfig) => L.LossFunctionWrapper((t, p) => T.mul(L.meanSquaredError(t, p), 2), config));
    expect(L.get({ className: 'ScaledMse', config: { name: 'scaled' } }).name).toBe('scaled');
    expect(() => L.get('nope')).toThrow(/Known losses: .*my_focal/);
  });

  it('registerLoss puts a wrapped loss under its name only, never under "LossFunctionWrapper"', () => {
    const before = new Set(L.registry.keys());
    const a = L.LossFunctionWrapper((t, p) => T.mean(T.abs(T.sub(t, p)), -1), { name: 'wrapped_a' });
    const b = L.LossFunctionWrapper((t, p) => T.mean(T.square(T.sub(t, p)), -1), { name: 'wrapped_b' });
    L.registerLoss('wrapped_a', a);
    L.registerLoss('wrapped_b', b);
    try {
      expect([...L.registry.keys()].filter((k) => !before.has(k))).toEqual(['Custom>wrapped_a', 'Custom>wrapped_b']);
      expect(L.registry.has('LossFunctionWrapper')).toBe(false);
      expect(L.get('wrapped_a')).toBe(a);
      expect(L.get('wrapped_b')).toBe(b);
      expect(() => L.get('LossFunctionWrapper')).toThrow(/^Unknown loss "LossFunctionWrapper"\. Known losses: /);
      // a Loss of its own class is still found by its className when that is free
      const custom = Object.assign((t: T.Tensor, p: T.Tensor) => T.mean(T.abs(T.sub(t, p))), {
        className: 'CustomL1',
        reduction: 'mean' as const,
        getConfig: () => ({ name: 'custom_l1' }),
      }) as unknown as L.Loss;
      L.registerLoss('custom_l1', custom);
      expect(L.get({ className: 'CustomL1', config: {} })).toBe(custom);
    } finally {
      for (const k of ['wrapped_a', 'wrapped_b', 'custom_l1', 'CustomL1']) L.registry.delete(k);
    }
  });

  it('registerLoss wraps a plain per-sample function (two parameters) under its name', () => {
    L.registerLoss('my_mae', (t: T.Tensor, p: T.Tensor) => T.mean(T.abs(T.sub(t, p)), -1));
    const loss = L.get('my_mae');
    expect([loss.className, loss.name, loss.reduction]).toEqual(['LossFunctionWrapper', 'my_mae', 'mean']);
    close(v(loss(T.tensor2d([[0, 0], [0, 0]]), T.tensor2d([[1, 1], [3, 3]]))), [2]);
    // sample weights and reductions come from the wrapper; serialize/get round-trips by the name
    close(v(loss(T.tensor2d([[0, 0], [0, 0]]), T.tensor2d([[1, 1], [3, 3]]), T.tensor1d([1, 0]))), [0.5]);
    expect(L.get({ className: 'my_mae', config: { name: 'my_mae', reduction: 'sum' } }).reduction).toBe('sum');
    // a named function with two parameters too
    L.registerLoss('halved', function halved(t: T.Tensor, p: T.Tensor) {
      return T.mul(L.meanSquaredError(t, p), 0.5);
    });
    expect(L.get('halved').name).toBe('halved');
    close(v(L.get('halved')(T.tensor2d([[0]]), T.tensor2d([[2]]))), [2]);
  });

  it('registerLoss: a function with fewer than two parameters is a factory, checked to return a Loss', () => {
    L.registerLoss('one_arg', ((t: T.Tensor) => T.mean(t, -1)) as never);
    expect(() => L.get('one_arg')).toThrow(
      /^losses\.get\("one_arg"\): the factory given to registerLoss failed: .*\. A function declaring fewer than two parameters is taken as a factory .*declare \(yTrue, yPred\), or register LossFunctionWrapper\(fn, \{ name \}\)/,
    );
    L.registerLoss('no_loss', (() => 42) as never);
    expect(() => L.get('no_loss')).toThrow(/^losses\.get\("no_loss"\): the factory given to registerLoss returned 42, not a Loss\. A function declaring/);
    L.registerLoss('defaults', (config?: L.LossConfig) => L.MeanAbsoluteError(config));
    expect(L.get('defaults').className).toBe('MeanAbsoluteError');
    expect(() => L.registerLoss('bad', 3 as never)).toThrow(
      'registerLoss: expects a Loss, a per-sample function (yTrue, yPred) => Tensor or a factory (config) => Loss, got 3',
    );
  });
});
