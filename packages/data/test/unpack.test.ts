// unpackXYSampleWeight: the element forms a model reads.
import { describe, expect, it } from 'vitest';
import { unpackXYSampleWeight } from '../src/index';

describe('unpackXYSampleWeight', () => {
  it('reads { x, y, sampleWeight }, tuples of 1 to 3, and anything else as x', () => {
    expect(unpackXYSampleWeight({ x: 1, y: 2 })).toEqual({ x: 1, y: 2, sampleWeight: undefined });
    expect(unpackXYSampleWeight({ x: 1, y: 2, sampleWeight: 3 })).toEqual({ x: 1, y: 2, sampleWeight: 3 });
    expect(unpackXYSampleWeight([1])).toEqual({ x: 1, y: undefined, sampleWeight: undefined });
    expect(unpackXYSampleWeight([1, 2, 3])).toEqual({ x: 1, y: 2, sampleWeight: 3 });
    expect(unpackXYSampleWeight({ image: 1, meta: 2 })).toEqual({ x: { image: 1, meta: 2 } }); // inputs by name
    expect(unpackXYSampleWeight({ x: 1, other: 2 })).toEqual({ x: { x: 1, other: 2 } }); // not the { x, y } form
    expect(unpackXYSampleWeight(5)).toEqual({ x: 5 });
  });

  it('refuses tuples of other lengths', () => {
    expect(() => unpackXYSampleWeight([1, 2, 3, 4])).toThrow('unpackXYSampleWeight: a tuple element must be [x], [x, y] or [x, y, sampleWeight], got an array of numbers [4]');
  });
});
