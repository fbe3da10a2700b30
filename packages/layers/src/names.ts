// Default layer names are unique per class prefix (`dense`, `dense_1`, ...), as in Keras 3. The
// counters live on globalThis so an ESM and a CJS copy of this package in one process share them.
const KEY = Symbol.for('@neurona/layers/names');

function counters(): Map<string, number> {
  const g = globalThis as unknown as Record<symbol, Map<string, number> | undefined>;
  let m = g[KEY];
  if (!m) {
    m = new Map();
    g[KEY] = m;
  }
  return m;
}

/** Keras 3's snake_case of a class name (`Conv2D` → `conv2d`): the one copy in @neurona/common. */
export { toSnakeCase } from '@neurona/common';

/** The next free default name for a prefix: `uniqueName('dense')` → `dense`, then `dense_1`, ... */
export function uniqueName(prefix: string): string {
  const m = counters();
  const n = m.get(prefix) ?? 0;
  m.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Restart default names (`dense`, `dense_1`, ...) from the beginning; meant for tests. */
export function resetNames(): void {
  counters().clear();
}
