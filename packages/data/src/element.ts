// Walking an element's structure: its tensors (to dispose or clone them) and its description in
// error messages. Arrays of numbers and typed arrays hold no tensors and are not walked.
import type { Tensor } from '@neurona/tensor';
import { isNumberArray, isPlainObject, isTensor, isTensorBuffer, isTypedArray } from './guards';

/** Call `fn` on every tensor in `element` (tuples and dicts, any depth). */
export function forEachTensor(element: unknown, fn: (t: Tensor) => void): void {
  if (isTensor(element)) fn(element);
  else if (Array.isArray(element)) {
    if (!isNumberArray(element)) for (const item of element) forEachTensor(item, fn);
  } else if (isPlainObject(element)) {
    for (const key of Object.keys(element)) forEachTensor(element[key], fn);
  }
}

/** The tensors of `element`, each once. */
export function tensorsOf(element: unknown): Tensor[] {
  const seen = new Set<Tensor>();
  forEachTensor(element, (t) => seen.add(t));
  return [...seen];
}

/** Release every tensor of `element` (already released ones are skipped). */
export function disposeElement(element: unknown): void {
  forEachTensor(element, (t) => {
    if (!t.isDisposed) t.dispose();
  });
}

/** Release every element of `elements`. */
export function disposeAll(elements: Iterable<unknown>): void {
  for (const e of elements) disposeElement(e);
}

/**
 * Release the tensors of `consumed` that `produced` does not hold: what a transformation does
 * with the element it was given once it has made the element it passes on.
 */
export function disposeUnlessKept(consumed: unknown, produced: unknown): void {
  const kept = new Set(tensorsOf(produced));
  forEachTensor(consumed, (t) => {
    if (!kept.has(t) && !t.isDisposed) t.dispose();
  });
}

/**
 * The same structure with every tensor cloned (a new handle on the same memory: cheap, no copy),
 * for sources that keep their elements (`cache`, a re-iterable array) and hand out copies the
 * consumer may dispose. Other leaves are shared: treat them as read-only.
 */
export function cloneElement<T>(element: T): T {
  if (isTensor(element)) return element.clone() as T;
  if (Array.isArray(element)) return (isNumberArray(element) ? element : element.map(cloneElement)) as T;
  if (isPlainObject(element)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(element)) out[key] = cloneElement(element[key]);
    return out as T;
  }
  return element;
}


/** The shape of nested number arrays, read from the first item of each level. */
export function numberArrayShape(v: unknown): number[] {
  const shape: number[] = [];
  let level: unknown = v;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

/** Where a part of an element is, for error messages: `x`, `x.image`, `[1]`, or `the element`. */
export function pathLabel(path: string): string {
  return path === '' ? 'the element' : path;
}

/** The path of a dict member or tuple item below `path`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}
