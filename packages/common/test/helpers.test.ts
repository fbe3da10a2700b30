import { describe, expect, it } from 'vitest';
import { checkOptions, checkOptionTypes, describeValue, formatShape, suggestOption, toCamelCase, toSnakeCase } from '../src';

describe('toSnakeCase (Keras 3 naming)', () => {
  it.each([
    ['Dense', 'dense'],
    ['Conv2D', 'conv2d'],
    ['Conv2DTranspose', 'conv2d_transpose'],
    ['LSTM', 'lstm'],
    ['GRU', 'gru'],
    ['MultiHeadAttention', 'multi_head_attention'],
    ['LeakyReLU', 'leaky_re_lu'],
    ['PReLU', 'p_re_lu'],
    ['BatchNormalization', 'batch_normalization'],
    ['GlobalAveragePooling2D', 'global_average_pooling2d'],
    ['useBias', 'use_bias'],
    ['batchInputShape', 'batch_input_shape'],
    ['InputLayer', 'input_layer'],
  ])('%s → %s', (a, b) => expect(toSnakeCase(a)).toBe(b));

  it('camelCase back', () => {
    expect(toCamelCase('use_bias')).toBe('useBias');
    expect(toCamelCase('batch_input_shape')).toBe('batchInputShape');
    expect(toCamelCase('units')).toBe('units');
  });
});

describe('describeValue', () => {
  it('prints what was given, NaN and Infinity included', () => {
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(Infinity)).toBe('Infinity');
    expect(describeValue('relu')).toBe('"relu"');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue([1, NaN])).toBe('[1, NaN]');
    expect(describeValue({ a: 1, b: -Infinity })).toBe('{"a":1,"b":"-Infinity"}');
    expect(describeValue(new Float32Array(784))).toBe('a Float32Array of 784 values');
    expect(describeValue(Promise.resolve(1))).toBe('a Promise (await it first)');
    expect(describeValue(function relu() {})).toBe('a function relu');
    expect(describeValue({ shape: [32, 784], dtype: 'float32', dataId: {} })).toBe('a Tensor float32 [32, 784]');
    expect(describeValue(new (class Thing {})())).toBe('a Thing');
    expect(describeValue(new (class L { toString() { return 'Dense "dense"'; } })())).toBe('Dense "dense"');
    expect(describeValue('x'.repeat(200)).length).toBe(80);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('an object');
  });

  it('formatShape', () => {
    expect(formatShape([null, 784])).toBe('[null, 784]');
    expect(formatShape([])).toBe('[]');
  });
});

describe('checkOptions', () => {
  const known = ['monitor', 'minDelta', 'patience', 'restoreBestWeights'];
  it('accepts known keys and undefined', () => {
    expect(() => checkOptions('EarlyStopping', { patience: 3 }, known)).not.toThrow();
    expect(() => checkOptions('EarlyStopping', undefined, known)).not.toThrow();
  });
  it('names the unknown key, the camelCase spelling and the known ones', () => {
    expect(() => checkOptions('EarlyStopping', { restore_best_weights: true }, known)).toThrow(
      'EarlyStopping: unknown option "restore_best_weights" (did you mean "restoreBestWeights"?). Known options: monitor, minDelta, patience, restoreBestWeights',
    );
    expect(() => checkOptions('EarlyStopping', { monitr: 'loss', foo: 1 }, known)).toThrow(
      'EarlyStopping: unknown options "monitr" (did you mean "monitor"?), "foo". Known options',
    );
  });
  it('refuses non-objects', () => {
    expect(() => checkOptions('fit', 5, known)).toThrow('fit: options must be an object, got 5');
    expect(() => checkOptions('fit', [1], known)).toThrow('fit: options must be an object, got [1]');
    expect(() => checkOptions('fit', null, known)).toThrow('got null');
  });
  it('suggests only plausible names', () => {
    expect(suggestOption('batch_size', ['batchSize', 'epochs'])).toBe('batchSize');
    expect(suggestOption('xyz', ['batchSize', 'epochs'])).toBeNull();
    expect(suggestOption('Epochs', ['batchSize', 'epochs'])).toBe('epochs');
  });
});

describe('describeData', () => {
  it('names the kind of a data argument', async () => {
    const { describeData } = await import('../src');
    expect(describeData(5)).toBe('the number 5');
    expect(describeData(NaN)).toBe('the number NaN');
    expect(describeData('cat')).toBe('the string "cat"');
    expect(describeData([[1, 2, 3], [4, 5, 6]])).toBe('an array of numbers [2, 3]');
    expect(describeData([1, 'a'])).toBe('an array of 2');
    expect(describeData([])).toBe('an array of 0');
    expect(describeData({ x: 1, y: 2 })).toBe('an object with keys {x, y}');
    expect(describeData(new Float32Array(4))).toBe('a Float32Array of 4');
    expect(describeData({ shape: [2, 3], dtype: 'float32', dataId: {} })).toBe('a float32 tensor [2, 3]');
    expect(describeData(function load() {})).toBe('the function load');
    expect(describeData(null)).toBe('null');
  });
});

describe('checkOptionTypes', () => {
  const kinds = { separator: 'string', append: 'boolean', patience: 'integer', factor: 'number', open: 'function', labels: ['array', 'string'] } as const;
  it('passes values of the right kind and undefined ones', () => {
    expect(() => checkOptionTypes('CSVLogger', { separator: ';', append: true, patience: 2, factor: 0.5, open: () => 1, labels: 'a', extra: undefined } as never, kinds)).toThrow('unknown option "extra"');
    expect(() => checkOptionTypes('CSVLogger', { separator: ';', append: undefined, labels: [1] }, kinds)).not.toThrow();
    expect(() => checkOptionTypes('CSVLogger', undefined, kinds)).not.toThrow();
  });
  it('names the option, the kind and what was found', () => {
    expect(() => checkOptionTypes('CSVLogger', { separator: 5 }, kinds)).toThrow('CSVLogger: separator must be a string, got 5');
    expect(() => checkOptionTypes('X', { append: 'yes' }, kinds)).toThrow('X: append must be true or false, got "yes"');
    expect(() => checkOptionTypes('X', { patience: 1.5 }, kinds)).toThrow('X: patience must be an integer, got 1.5');
    expect(() => checkOptionTypes('X', { factor: NaN }, kinds)).toThrow('X: factor must be a finite number, got NaN');
    expect(() => checkOptionTypes('X', { labels: 3 }, kinds)).toThrow('X: labels must be an array or a string, got 3');
    expect(() => checkOptionTypes('X', { sepparator: ';' }, kinds)).toThrow('unknown option "sepparator" (did you mean "separator"?)');
  });
});
