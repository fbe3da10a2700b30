// SeedGenerator: a random stream of its own, seeded by its `seed` or derived from the global seed
// when created (Keras 3's SeedGenerator), from a sequence apart from the initializers' one.
import { afterEach, describe, expect, it } from 'vitest';
import { clearSeed, createRng, hasSeed, nextSeed, nextStreamSeed, SeedGenerator, setSeed } from '../src';

const draws = (g: SeedGenerator, n = 5) => Array.from({ length: n }, () => g.next());

afterEach(() => clearSeed());

describe('SeedGenerator', () => {
  it('with a seed: the sequence of createRng(seed), scaled to integers in [0, 2^31)', () => {
    const rng = createRng(7);
    const expected = Array.from({ length: 5 }, () => Math.floor(rng() * 2 ** 31));
    expect(draws(new SeedGenerator(7))).toEqual(expected);
    expect(draws(new SeedGenerator(7)).every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31)).toBe(true);
  });

  it('without a seed: derived from the global seed when created, each generator its own stream', () => {
    setSeed(3);
    const a = new SeedGenerator();
    const b = new SeedGenerator();
    setSeed(3);
    const a2 = new SeedGenerator();
    const b2 = new SeedGenerator();
    // drawing b before a changes nothing: the streams are fixed at creation
    const [db2, da2] = [draws(b2), draws(a2)];
    expect(draws(a)).toEqual(da2);
    expect(draws(b)).toEqual(db2);
    expect(da2).not.toEqual(db2);
  });

  it('draws from a sequence apart from nextSeed: creating generators does not move the seeds initializers draw', () => {
    setSeed(11);
    const plain = [nextSeed(), nextSeed()];
    setSeed(11);
    const first = nextSeed();
    const g = new SeedGenerator();
    nextStreamSeed();
    g.next();
    expect([first, nextSeed()]).toEqual(plain);
  });

  it('created before any global seed: seeded at its first draw', () => {
    expect(hasSeed()).toBe(false);
    const g = new SeedGenerator();
    const h = new SeedGenerator();
    setSeed(5);
    const fromG = draws(g);
    setSeed(5);
    expect(draws(h)).toEqual(fromG);
  });

  it('refresh starts again from the global seed only when setSeed was called since the stream was derived', () => {
    setSeed(9);
    const g = new SeedGenerator();
    const first = draws(g, 2);
    g.refresh(); // no setSeed since: the stream goes on
    const goesOn = draws(g, 2);
    setSeed(9);
    const h = new SeedGenerator();
    expect(draws(h, 4)).toEqual([...first, ...goesOn]);
    setSeed(9);
    g.refresh(); // setSeed since: the first stream of seed 9 again
    expect(draws(g, 2)).toEqual(first);
    const own = new SeedGenerator(4);
    const ownFirst = draws(own, 1);
    setSeed(9);
    own.refresh(); // a stream with its own seed is left as it is
    expect(draws(own, 1)).not.toEqual(ownFirst);
  });

  it('refuses a seed that is not an integer', () => {
    expect(() => new SeedGenerator(1.5)).toThrow('SeedGenerator: seed must be an integer or null, got 1.5');
  });
});
