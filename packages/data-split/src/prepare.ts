import { describe, sampleCount } from './data';
import { classLabels, type ClassLabels } from './labels';
import { rngFor, type Rng } from './random';
import type { SplitData, SplitOptions } from './types';

/** Shared checks of the split functions: x/y lengths, options, labels and the rng. */
export function prepare(
  who: string,
  x: SplitData,
  y: SplitData,
  options: SplitOptions,
): { n: number; rng: Rng | null; labels: ClassLabels | null } {
  const n = sampleCount(who, 'x', x);
  const ny = sampleCount(who, 'y', y);
  if (n !== ny) throw new Error(`${who}: x and y must have the same number of samples, got x ${n} and y ${ny}`);
  if (n === 0) throw new Error(`${who}: x and y are empty (0 samples)`);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new Error(`${who}: shuffle must be true or false, got ${String(shuffle)}`);
  const rng = shuffle ? rngFor(who, options.seed) : null;
  const { stratify } = options;
  let labels: ClassLabels | null = null;
  if (stratify === true) labels = classLabels(who, y, n);
  else if (stratify !== undefined && stratify !== false && stratify !== null) {
    if (typeof stratify !== 'object') {
      throw new Error(`${who}: stratify must be true, false or the labels, got ${describe(stratify)}`);
    }
    labels = classLabels(who, stratify, n);
  }
  return { n, rng, labels };
}
