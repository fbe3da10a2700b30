import { describeData, checkOptionTypes } from '@neurona/common';
// window: groups of `size` elements taken every `shift` elements, `stride` apart (tf.data's
// window, with each window an array instead of a nested dataset). An element in several windows
// is handed out as a clone in each (a new tensor handle, no copy), so every window's tensors are
// the consumer's to dispose.
import { cloneElement, disposeElement } from '../element';
import type { Cardinality } from '../types';

/** Options of `window`. */
export interface WindowOptions {
  /** Elements between the starts of two windows; default `size`. */
  shift?: number;
  /** Elements between two members of a window; default 1. */
  stride?: number;
  /** Drop the last windows when they are shorter than `size`; default false. */
  dropRemainder?: boolean;
}

function int(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`window: ${name} must be an integer >= 1, got ${describeData(v)}`);
  return v;
}

/** Checked window parameters. */
export function windowPlan(size: unknown, options: WindowOptions = {}): { size: number; shift: number; stride: number; dropRemainder: boolean } {
  checkOptionTypes('window', options, { shift: 'integer', stride: 'integer', dropRemainder: 'boolean' });
  const s = int('size', size);
  return { size: s, shift: int('shift', options.shift ?? s), stride: int('stride', options.stride ?? 1), dropRemainder: options.dropRemainder ?? false };
}

/** The windows of `source`. */
export async function* windowElements<T>(source: AsyncIterable<T>, size: number, shift: number, stride: number, dropRemainder: boolean): AsyncGenerator<T[]> {
  const span = (size - 1) * stride + 1;
  const held: { pos: number; e: T }[] = []; // elements at positions >= the next window's start
  let pos = 0;
  let start = 0;
  const emit = (): T[] => {
    const w: T[] = [];
    for (const h of held) if (h.pos < start + span && (h.pos - start) % stride === 0) w.push(cloneElement(h.e));
    start += shift;
    while (held.length > 0 && held[0].pos < start) disposeElement((held.shift() as { e: T }).e);
    return w;
  };
  try {
    for await (const e of source) {
      if (pos >= start) held.push({ pos, e });
      else disposeElement(e); // between windows (shift > span): in no window
      pos++;
      if (pos === start + span) yield emit();
    }
    // the short windows at the end: one for every start before the last element
    if (!dropRemainder) {
      for (;;) {
        if (start >= pos) break;
        yield emit();
      }
    }
  } finally {
    for (const h of held.splice(0)) disposeElement(h.e);
  }
}

/** The number of windows of a dataset of `n` elements. */
export function windowCount(n: Cardinality, size: number, shift: number, stride: number, dropRemainder: boolean): Cardinality {
  if (typeof n !== 'number') return n;
  const span = (size - 1) * stride + 1;
  if (dropRemainder) return n < span ? 0 : Math.floor((n - span) / shift) + 1;
  return Math.ceil(n / shift);
}
