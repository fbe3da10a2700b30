import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { Dropout } from '../src/index';

// Dropout's masks come from the counter-based generator (@neurona/tensor's dropoutMask): a
// training call uses the next key of the layer's stream (two draws of its SeedGenerator), the
// key `nextMaskKey()` hands the compiled step.

describe('Dropout mask', () => {
  it('a seeded call multiplies by dropoutMask(key, rate, size), key = two draws of the seed’s stream', () => {
    const x = T.tensor2d(Array.from({ length: 6 * 37 }, (_, i) => i - 50), [6, 37]);
    const out = T.tidy(() => Dropout(0.3, { seed: 11 })(x, { training: true }) as T.Tensor);
    const s = new T.SeedGenerator(11);
    const mask = T.dropoutMask([s.next(), s.next()], 0.3, 6 * 37);
    const xv = x.dataSync();
    expect(out.dataSync()).toEqual(Float32Array.from(xv, (v, i) => v * mask[i]));
    T.dispose([x, out]);
  });

  it('nextMaskKey advances the stream as a call does: the call after it draws the following key', () => {
    const a = Dropout(0.5, { seed: 3 });
    const b = Dropout(0.5, { seed: 3 });
    const key = a.nextMaskKey();
    const s = new T.SeedGenerator(3);
    expect(key).toEqual([s.next(), s.next()]);
    const next: T.Words2 = [s.next(), s.next()];
    const ones = T.ones([4, 8]);
    b.nextMaskKey();
    const m = T.tidy(() => b(ones, { training: true }) as T.Tensor);
    expect(m.dataSync()).toEqual(T.dropoutMask(next, 0.5, 32));
    T.dispose([ones, m]);
  });

  it('noiseShape: the mask of the noise shape, broadcast (element e of the flattened noise shape)', () => {
    const x = T.ones([5, 3, 4]);
    const y = T.tidy(() => Dropout(0.5, { seed: 8, noiseShape: [null, 1, 4] })(x, { training: true }) as T.Tensor);
    const s = new T.SeedGenerator(8);
    const mask = T.dropoutMask([s.next(), s.next()], 0.5, 5 * 4);
    const v = y.dataSync();
    for (let b = 0; b < 5; b++) for (let t = 0; t < 3; t++) for (let c = 0; c < 4; c++) expect(v[(b * 3 + t) * 4 + c]).toBe(mask[b * 4 + c]);
    T.dispose([x, y]);
  });

  it('keeps 1 − rate of the elements (binomial bound), leaks nothing, inference is the identity', () => {
    const x = T.ones([400, 250]);
    const before = T.memory().numTensors;
    const d = Dropout(0.7);
    const y = T.tidy(() => d(x, { training: true }) as T.Tensor);
    const v = y.dataSync();
    y.dispose();
    expect(T.memory().numTensors).toBe(before);
    const kept = v.filter((e) => e !== 0).length;
    const n = v.length, p = 0.3;
    expect(Math.abs(kept - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
    expect(new Set(v.filter((e) => e !== 0))).toEqual(new Set([Math.fround(1 / Math.fround(0.3))]));
    const id = T.tidy(() => d(x) as T.Tensor);
    expect(id.dataSync()).toEqual(x.dataSync());
    id.dispose();
    x.dispose();
  });
});
