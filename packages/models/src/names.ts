// Default model names are unique per prefix (`sequential`, `sequential_1`, ...), as Keras. The
// counters live on globalThis so an ESM and a CJS copy of this package share them.
const KEY = Symbol.for('@neurona/models/names');

/** The next free default model name for `prefix`. */
export function uniqueModelName(prefix: string): string {
  const g = globalThis as unknown as Record<symbol, Map<string, number> | undefined>;
  const m = (g[KEY] ??= new Map());
  const n = m.get(prefix) ?? 0;
  m.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}
