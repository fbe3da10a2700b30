import { afterEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as I from '../src/index';

const values = (t: T.Tensor): number[] => Array.from(t.dataSync());
const RANDOM = ['random_normal', 'random_uniform', 'truncated_normal', 'glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_uniform', 'lecun_normal', 'orthogonal', 'variance_scaling'];

afterEach(() => T.clearSeed());

describe('seeds', () => {
  for (const name of RANDOM) {
    it(`${name}: the same seed gives the same values, another seed others`, () => {
      const a = values(I.get({ className: name, config: { seed: 42 } })([8, 6]));
      const b = values(I.get({ className: name, config: { seed: 42 } })([8, 6]));
      const c = values(I.get({ className: name, config: { seed: 43 } })([8, 6]));
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
    });

    it(`${name}: a seeded initializer returns the same values on every call (as Keras 3)`, () => {
      const init = I.get({ className: name, config: { seed: 7 } });
      expect(values(init([5, 5]))).toEqual(values(init([5, 5])));
    });

    it(`${name}: unseeded, each call differs, and setSeed reproduces the sequence`, () => {
      const init = I.get(name);
      T.setSeed(123);
      const a1 = values(init([6, 4]));
      const a2 = values(init([6, 4]));
      expect(a1).not.toEqual(a2);
      T.setSeed(123);
      expect(values(init([6, 4]))).toEqual(a1);
      expect(values(I.get(name)([6, 4]))).toEqual(a2);
    });
  }
});
