import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as I from '../src/index';
import type { Initializer } from '../src/index';

const values = (t: T.Tensor): number[] => Array.from(t.dataSync());
function halves(shape: number[]): T.Tensor {
  return T.fill(shape, 0.5);
}
function sevens(config: Record<string, unknown> = {}): Initializer {
  const value = typeof config.value === 'number' ? config.value : 7;
  return Object.assign((shape: number[]) => T.fill(shape, value), { className: 'Sevens', getConfig: () => ({ value }) });
}

describe('get', () => {
  it('finds Keras snake_case names, camelCase names and class names', () => {
    const expected: [string, string][] = [
      ['zeros', 'Zeros'], ['ones', 'Ones'], ['constant', 'Constant'],
      ['random_normal', 'RandomNormal'], ['random_uniform', 'RandomUniform'], ['truncated_normal', 'TruncatedNormal'],
      ['glorot_uniform', 'GlorotUniform'], ['glorot_normal', 'GlorotNormal'], ['he_uniform', 'HeUniform'],
      ['he_normal', 'HeNormal'], ['lecun_uniform', 'LecunUniform'], ['lecun_normal', 'LecunNormal'],
      ['orthogonal', 'Orthogonal'], ['identity', 'Identity'], ['variance_scaling', 'VarianceScaling'],
    ];
    for (const [snake, cls] of expected) {
      expect(I.get(snake).className).toBe(cls);
      expect(I.get(cls).className).toBe(cls);
      expect(I.get(cls[0].toLowerCase() + cls.slice(1)).className).toBe(cls); // glorotUniform
    }
    expect(I.registry.names()).toEqual(expected.map(([s]) => s));
  });

  it('knows Keras aliases', () => {
    expect(I.get('uniform').className).toBe('RandomUniform');
    expect(I.get('normal').className).toBe('RandomNormal');
    expect(I.get('OrthogonalInitializer').className).toBe('Orthogonal');
    expect(I.get('IdentityInitializer').className).toBe('Identity');
  });

  it('returns an initializer itself', () => {
    const init = I.HeNormal({ seed: 1 });
    expect(I.get(init)).toBe(init);
  });

  it('wraps a plain (shape, dtype) => Tensor function', () => {
    const init = I.get(halves);
    expect(init.className).toBe('halves');
    expect(init.getConfig()).toEqual({});
    expect(values(init([2]))).toEqual([0.5, 0.5]);
  });

  it('takes { className, config } as serialize writes it, and round-trips', () => {
    const init = I.get({ className: 'RandomNormal', config: { mean: 1, stddev: 0.5, seed: 9 } });
    expect(init.getConfig()).toEqual({ mean: 1, stddev: 0.5, seed: 9 });
    const saved = I.serialize(init);
    expect(saved).toEqual({ className: 'RandomNormal', config: { mean: 1, stddev: 0.5, seed: 9 } });
    const restored = I.get(JSON.parse(JSON.stringify(saved)) as typeof saved);
    expect(values(restored([3, 3]))).toEqual(values(init([3, 3])));
    expect(I.serialize(I.GlorotUniform())).toEqual({ className: 'GlorotUniform', config: { seed: null } });
    expect(I.get({ className: 'glorot_uniform', config: { seed: null } }).getConfig()).toEqual({ seed: null });
    expect(I.get({ className: 'Constant', config: { value: 3 } })([1]).arraySync()).toEqual([3]);
  });

  it('an unknown name is an error listing the known names', () => {
    let message = '';
    try {
      I.get('xavier_magic');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`Unknown initializer "xavier_magic". Known initializers: ${I.registry.names().join(', ')}`);
    expect(message).toContain('glorot_uniform');
    expect(() => I.get({ className: 'Nope', config: {} })).toThrow('Unknown initializer "Nope"');
  });

  it('a config with a wrong key or value is an error from the initializer', () => {
    expect(() => I.get({ className: 'RandomNormal', config: { stdev: 1 } })).toThrow(
      'RandomNormal: unknown option "stdev" (did you mean "stddev"?). Known options: mean, stddev, seed',
    );
    expect(() => I.get({ className: 'GlorotUniform', config: { scale: 2 } })).toThrow('GlorotUniform: unknown option "scale". Known options: seed');
    expect(() => I.get({ className: 'RandomNormal', config: { stddev: '1' } })).toThrow('RandomNormal: stddev must be a finite number > 0, got "1"');
  });

  it('other identifiers are an error saying what is expected', () => {
    expect(() => I.get(undefined as unknown as string)).toThrow('initializer: expected a name, an initializer function or { className, config }, got undefined');
    expect(() => I.get(3 as unknown as string)).toThrow('got 3');
  });
});

describe('registerInitializer', () => {
  it('makes a contributed initializer findable by name and by { className, config }', () => {
    I.registerInitializer('Sevens', sevens);
    expect(values(I.get('Sevens')([2]))).toEqual([7, 7]);
    expect(values(I.get('sevens')([1]))).toEqual([7]);
    expect(values(I.get({ className: 'Sevens', config: { value: 8 } })([1]))).toEqual([8]);
    expect(I.registry.get('Sevens')).toBe(sevens);
    expect(I.registry.keyOf(sevens)).toBe('Custom>Sevens');
    expect(() => I.registerInitializer('Sevens', () => I.Zeros())).toThrow('registerInitializer: an initializer named "Custom>Sevens" is already registered');
  });

  it('refuses a taken name or a non-function', () => {
    expect(() => I.registerInitializer('glorotUniform', () => I.Zeros())).toThrow(
      'registerInitializer: "glorotUniform" is the name of a built-in initializer ("glorot_uniform"); pass { override: true }',
    );
    expect(() => I.registerInitializer('', () => I.Zeros())).toThrow('registerInitializer: name must be a non-empty string, got ""');
    expect(() => I.registerInitializer('x', null as unknown as () => Initializer)).toThrow(
      'registerInitializer("x"): expected a factory (config) => Initializer, got null',
    );
  });
});

describe('serialize', () => {
  it('rejects what is not an initializer', () => {
    expect(() => I.serialize({} as Initializer)).toThrow('serialize: expected an initializer with a className, got {}');
  });
});

describe('initializer names that are Object members', () => {
  it.each(['__proto__', 'constructor', 'hasOwnProperty', 'toString'])('%s is an unknown initializer, not a TypeError', (name) => {
    expect(() => I.get(name)).toThrow(/Unknown initializer "[^"]+". Known initializers: zeros, ones/);
  });
});
