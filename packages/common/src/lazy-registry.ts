// How a package resolves names before its registry's code is loaded. A page's bundle keeps a
// registry (and every built-in it imports) only where something imports it; code that must accept
// names anyway (compile's loss, optimizer and metrics) holds just the table of built-in names and
// a loader per built-in (an `import()` of the module that defines it, or of the whole registry).
// It checks names against the table at once (a typo fails where it is written), loads the code
// when an async step starts, and builds through the registry's `get` once that module has bound it.
// In Node importing the package runs the registry module, so everything is loaded from the start.
import { looseName, toCamelCase } from './names';

/**
 * A built-in of a lazy registry: its class name, its other accepted names (Keras's function
 * names, aliases), and the loader of its code. Without a loader, the registry's `load` option
 * loads it.
 */
export type LazyBuiltin = readonly [className: string, names: readonly string[], load?: () => Promise<unknown>];

/** How `createLazyRegistry` matches, loads and reports built-ins. */
export interface LazyRegistryOptions {
  /** What an entry is, for messages: `'loss'`, `'optimizer'`, `'metric'`. */
  kind: string;
  /** Plural of `kind` for messages; default `kind + 's'`. */
  plural?: string;
  /** Every built-in, in the order messages list them when `sort` is false. */
  builtins: readonly LazyBuiltin[];
  /**
   * The loader of the whole registry module (`() => import('./registry')`), for the built-ins
   * that name no loader of their own (every built-in needs one or the other). That module calls
   * `bind` when it runs.
   */
  load?: () => Promise<unknown>;
  /**
   * Match names ignoring case, `_`, `-` and spaces, as `Registry` does (default true). False:
   * only the class name, the names given and their camelCase forms (`meanSquaredError`).
   */
  loose?: boolean;
  /** Messages list the known names sorted (default true); false keeps the order of `builtins`. */
  sort?: boolean;
  /** The error for a value that is no name and no `{ className }` (what `resolve` rejects, as `get` does). */
  invalid: (identifier: unknown) => Error;
  /**
   * Called once per built-in whose own loader resolved, with what it resolved to (the module that
   * defines it, say, whose factory the package registers). Built-ins loaded by the `load` option
   * (the registry module) are not reported, nor any once `bind` was called: that module registers
   * them itself.
   */
  onLoad?: (className: string, names: readonly string[], loaded: unknown) => void;
}

/**
 * Names resolved before the registry is loaded (see `createLazyRegistry`). `Id` is what the
 * package's `get` accepts, `Out` what it returns.
 */
export interface LazyRegistry<Id, Out> {
  /** Called by the registry module when it runs: `resolve` builds through `get` from then on. */
  bind(get: (identifier: Id) => Out): void;
  /**
   * True when the code the identifiers name is loaded (names that are no built-in need nothing,
   * so `!loaded([name])` says `name` is a built-in still to load); without identifiers, when the
   * registry module is (`bind` was called).
   */
  loaded(identifiers?: readonly unknown[]): boolean;
  /**
   * Load the code of the built-ins the identifiers name (each loader called once per load, each
   * built-in reported to `onLoad` once), or, without identifiers, of every built-in (the registry
   * module, where they have no loaders of their own). Resolves at once where it is loaded already;
   * unknown names are left for `resolve` to report. A loader that rejects rejects the load, which
   * then marks nothing loaded (the next load runs its loaders again).
   */
  load(identifiers?: readonly unknown[]): Promise<void>;
  /**
   * The bound `get(identifier)` once the registry module is loaded; before, null for a built-in
   * name (it is built once loaded), and an error for an unknown name (listing the known ones) or
   * a value of another kind (`invalid`).
   */
  resolve(identifier: Id): Out | null;
  /** `Unknown loss "x". Known losses: ...`: the built-ins' names, with `more` (names registered since). */
  unknown(name: string, more?: Iterable<string>): Error;
}

type Loader = () => Promise<unknown>;

/** The name an identifier asks for: a string, or the `className` of `{ className, config }`; else null. */
function nameOf(identifier: unknown): string | null {
  if (typeof identifier === 'string') return identifier;
  const className = identifier !== null && typeof identifier === 'object' ? (identifier as { className?: unknown }).className : undefined;
  return typeof className === 'string' ? className : null;
}

/**
 * A lazy registry: the built-in names a package accepts before its registry is loaded, and the
 * loaders of their code. The package's resolver returns objects as they are, then asks
 * `resolve`; its async entry points `load`; its registry module calls `bind(get)`:
 *
 * ```ts
 * // resolve.ts (small: no built-in's code)
 * export const lazy = createLazyRegistry<LossIdentifier, Loss>({
 *   kind: 'loss', builtins: [['MeanSquaredError', ['mean_squared_error', 'mse']]],
 *   load: () => import('./registry'),
 * });
 * // registry.ts (every built-in, `get`, `registerLoss`)
 * lazy.bind(get);
 * ```
 */
export function createLazyRegistry<Id, Out>(options: LazyRegistryOptions): LazyRegistry<Id, Out> {
  const { kind, builtins, loose = true } = options;
  const key = loose ? looseName : (name: string) => name;
  let get: ((identifier: Id) => Out) | null = null;
  // the built-ins whose loader has resolved
  const done = new Set<LazyBuiltin>();
  const entryOf = (name: string): LazyBuiltin | undefined =>
    builtins.find(([c, names]) => [c, ...names, ...(loose ? [] : names.map(toCamelCase))].some((s) => key(s) === key(name)));
  const loaderOf = (b: LazyBuiltin) => (b[2] ?? options.load) as Loader;
  // the built-ins the identifiers name whose code is not loaded yet
  const pending = (identifiers: readonly unknown[]): LazyBuiltin[] =>
    identifiers.flatMap((id) => {
      const name = nameOf(id);
      const b = name === null ? undefined : entryOf(name);
      return b && !done.has(b) ? [b] : [];
    });
  const unknown = (name: string, more: Iterable<string> = []): Error => {
    const names = [...new Set([...builtins.flatMap(([c, n]) => (n.length > 0 ? n : [c])), ...more])];
    if (options.sort !== false) names.sort();
    return new Error(`Unknown ${kind} "${name}". Known ${options.plural ?? `${kind}s`}: ${names.join(', ')}`);
  };

  return {
    bind(bound) {
      get = bound;
    },
    loaded: (identifiers) => get !== null || (identifiers !== undefined && pending(identifiers).length === 0),
    async load(identifiers) {
      if (get !== null) return;
      const wanted = pending(identifiers ?? builtins.map(([c]) => c));
      const loaders = [...new Set(wanted.map(loaderOf))];
      // a loader that rejects rejects the load, which marks nothing loaded: the next one retries
      const loaded = await Promise.all(loaders.map((load) => load()));
      for (const b of wanted) {
        // named twice, or loaded meanwhile by another load: reported once
        if (done.has(b)) continue;
        done.add(b);
        // once the registry module is bound it has registered every built-in itself
        if (b[2] && get === null) options.onLoad?.(b[0], b[1], loaded[loaders.indexOf(b[2])]);
      }
    },
    resolve(identifier) {
      if (get !== null) return get(identifier);
      const name = nameOf(identifier);
      if (name === null) throw options.invalid(identifier);
      if (!entryOf(name)) throw unknown(name);
      return null;
    },
    unknown,
  };
}
