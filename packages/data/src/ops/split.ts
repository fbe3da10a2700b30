import { describeData, checkOptionTypes } from '@neurona/common';
// Train/validation splits decided element by element from the position and a seed, so neither
// part reads the whole dataset first: exact counts (selection sampling) when the size is known,
// a seeded hash of the position (an approximate fraction) when it is not.
import { createRng, nextSeed } from '@neurona/tensor';
import { disposeElement } from '../element';
import type { Cardinality } from '../types';

/** Options of `splitDataset`: give `validationFraction` or `validationSize`. */
export interface SplitOptions {
  /** The share of elements for validation, in (0, 1); rounded up to a count when the size is known. */
  validationFraction?: number;
  /** The number of elements for validation (needs a dataset of known size). */
  validationSize?: number;
  /** Same seed, same split. Default: the next seed of `@neurona/tensor`'s global sequence (`setSeed`). */
  seed?: number;
}

/** For each pass, a fresh function telling whether the element at a position is a validation one. */
export type SelectorFactory = () => (position: number) => boolean;

/** A split's plan: which positions are validation, and each part's cardinality. */
export interface SplitPlan {
  isValidation: SelectorFactory;
  trainSize: Cardinality;
  validationSize: Cardinality;
}

function mix(seed: number, position: number): number {
  let z = (seed ^ Math.imul(position + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
}

/** Check the options against the dataset's size and plan the split. */
export function planSplit(size: Cardinality, options: SplitOptions): SplitPlan {
  const who = 'splitDataset';
  checkOptionTypes(who, options, { validationFraction: 'number', validationSize: 'integer', seed: 'number' });
  const { validationFraction: f, validationSize: k } = options;
  if ((f === undefined) === (k === undefined)) {
    throw new Error(`${who}: give exactly one of validationFraction and validationSize, got ${f === undefined ? 'neither' : 'both'}`);
  }
  if (f !== undefined && !(typeof f === 'number' && f > 0 && f < 1)) throw new Error(`${who}: validationFraction must be a number in (0, 1), got ${describeData(f)}`);
  if (k !== undefined && !(typeof k === 'number' && Number.isInteger(k) && k >= 1)) throw new Error(`${who}: validationSize must be an integer >= 1, got ${describeData(k)}`);
  if (options.seed !== undefined && !Number.isFinite(options.seed)) throw new Error(`${who}: seed must be a finite number, got ${describeData(options.seed)}`);
  const seed = options.seed === undefined ? nextSeed() : Math.floor(options.seed) >>> 0;
  if (size === 'infinite') throw new Error(`${who}: the dataset is infinite; split it before repeat(), or take() a finite part first`);
  if (size === 'unknown') {
    if (f === undefined) {
      throw new Error(
        `${who}: validationSize needs a dataset of known size, got one of unknown size; use validationFraction (a seeded, approximate split), or declare the size (fromGenerator(fn, { size }))`,
      );
    }
    return { isValidation: () => (pos) => mix(seed, pos) < f, trainSize: 'unknown', validationSize: 'unknown' };
  }
  if (size === 0) throw new Error(`${who}: the dataset is empty; expected at least 2 elements to split`);
  const want = k ?? Math.ceil(size * (f as number) - 1e-9);
  if (want >= size) throw new Error(`${who}: ${want} validation elements of ${size} leave no training elements; expected fewer than ${size}`);
  // selection sampling (Knuth's algorithm S): exactly `want` of `size`, each subset equally likely
  const isValidation: SelectorFactory = () => {
    const rng = createRng(seed);
    let needed = want;
    return (pos) => {
      if (pos >= size) return false;
      const pick = rng() * (size - pos) < needed;
      if (pick) needed--;
      return pick;
    };
  };
  return { isValidation, trainSize: size - want, validationSize: want };
}

/** The elements of `source` whose position the selector accepts (`wanted`); the others are released. */
export async function* selectElements<T>(source: AsyncIterable<T>, makeSelector: SelectorFactory, wanted: boolean): AsyncGenerator<T> {
  const isValidation = makeSelector();
  let pos = 0;
  for await (const e of source) {
    if (isValidation(pos++) === wanted) yield e;
    else disposeElement(e);
  }
}
