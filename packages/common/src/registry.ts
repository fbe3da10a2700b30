// One registry mechanism for everything neurona finds by name: layers, losses, metrics,
// activations, initializers, optimizers, schedules, regularizers, constraints. The tables live on
// globalThis under a Symbol.for key, so the ESM and the CommonJS build of a package loaded in one
// process (the dual-package hazard) share one table: what one registers, the other finds.
import { describeValue } from './describe';
import { looseName } from './names';

/** Options of `Registry.register`. */
export interface RegisterOptions {
  /**
   * Keras 3's package of a contributed object: the key becomes `package>name`
   * (`register_keras_serializable(package=...)`). Default `'Custom'`, as Keras.
   */
  package?: string;
  /** Replace what is registered under the same key. Default false: a duplicate key is an error. */
  override?: boolean;
}

/** How a registry matches and names its entries. */
export interface RegistryOptions {
  /** What an entry is, for messages: `'layer'`, `'loss'`, `'optimizer'`. */
  kind: string;
  /** Plural of `kind` for messages; default `kind + 's'`. */
  plural?: string;
  /** The public function that registers into it, for messages (`'registerLoss'`); default `register <kind>`. */
  registerName?: string;
  /**
   * Also match names ignoring case, `_`, `-` and spaces (`'leakyRelu'` finds `'leaky_relu'`,
   * `'SGD'` finds `'sgd'`), as Keras's `get` functions accept several spellings. Default true.
   */
  loose?: boolean;
  /**
   * Fills in the built-in entries, called once, before the registry is first read or written
   * (`get`, `names`, `register`, ...). A package that registers its built-ins here instead of at
   * import keeps them out of a bundle that never looks anything up by name.
   */
  load?: () => void;
}

interface Entry<T> {
  value: T;
  builtin: boolean;
  /** False for aliases: they resolve but are not listed in messages. */
  listed: boolean;
}

interface Table<T> {
  entries: Map<string, Entry<T>>;
}

/** Package prefix of contributed keys when none is given (Keras's default). */
export const DEFAULT_PACKAGE = 'Custom';

/** `a loss`, `an activation`. */
function withArticle(kind: string): string {
  return `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`;
}

function plainName(key: string): string {
  const i = key.indexOf('>');
  return i < 0 ? key : key.slice(i + 1);
}

function checkName(where: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`${where}: the name must be a non-empty string, got ${describeValue(name)}`);
  }
  return name;
}

/**
 * A table of named entries with one set of rules (see `createRegistry`). Reading methods follow
 * `Map` (`get`, `has`, `keys`, `entries`, `size`, iteration) so code that read the per-package
 * `Map` registries keeps working.
 */
export class Registry<T> {
  readonly kind: string;
  readonly plural: string;
  private readonly loose: boolean;
  private readonly who: string;
  private readonly shared: Table<T>;
  private load: (() => void) | undefined;

  constructor(id: string, options: RegistryOptions) {
    this.kind = options.kind;
    this.plural = options.plural ?? `${options.kind}s`;
    this.loose = options.loose ?? true;
    this.who = options.registerName ?? `register ${options.kind}`;
    const key = Symbol.for(`@neurona/registry/${id}`);
    const g = globalThis as unknown as Record<symbol, Table<T> | undefined>;
    this.shared = g[key] ??= { entries: new Map() };
    this.load = options.load;
  }

  /** The shared table, built-ins filled in first (once; `load` may itself register). */
  private get table(): Table<T> {
    const load = this.load;
    if (load) {
      this.load = undefined;
      try {
        load();
      } catch (e) {
        // a failed load is tried again on the next use (built-ins already in are kept)
        this.load = load;
        throw e;
      }
    }
    return this.shared;
  }

  /**
   * Register a contributed object under `package>name` (package `'Custom'` unless given, as
   * Keras 3). A key already taken is an error unless `{ override: true }`, or unless it holds this
   * very value (registering twice is harmless). Returns the key. Found later by the full key or,
   * when no other package uses the same name, by `name` alone.
   */
  register(name: string, value: T, options: RegisterOptions = {}): string {
    checkName(this.who, name);
    const pkg = options.package ?? DEFAULT_PACKAGE;
    if (typeof pkg !== 'string' || pkg.length === 0 || pkg.includes('>')) {
      throw new Error(`${this.who}("${name}"): package must be a non-empty string without ">", got ${describeValue(pkg)}`);
    }
    const override = options.override === true;
    // a contributed name that a built-in already answers to would never be found by that name
    const builtin = name.includes('>') ? undefined : this.builtinKey(name);
    if (builtin !== undefined) {
      const existing = this.table.entries.get(builtin) as Entry<T>;
      if (existing.value === value) return builtin;
      if (!override) {
        throw new Error(
          `${this.who}: "${name}" is the name of a built-in ${this.kind} ("${builtin}"); pass { override: true } to replace it, or choose another name`,
        );
      }
      this.table.entries.set(builtin, { value, builtin: false, listed: true });
      return builtin;
    }
    const key = name.includes('>') ? name : `${pkg}>${name}`;
    this.put(key, value, override, false);
    return key;
  }

  /** The key of the built-in entry `name` answers to (exactly or loosely), if any. */
  private builtinKey(name: string): string | undefined {
    const e = this.table.entries.get(name);
    if (e?.builtin) return name;
    if (!this.loose) return undefined;
    const want = looseName(name);
    for (const [k, v] of this.table.entries) if (v.builtin && !k.includes('>') && looseName(k) === want) return k;
    return undefined;
  }

  /**
   * Register a built-in entry under its Keras name (no package), with extra `aliases` that
   * resolve to it without being listed. A second copy of a package in one process registers its
   * built-ins again: the first stays.
   */
  builtin(name: string, value: T, aliases: readonly string[] = []): void {
    const existing = this.table.entries.get(name);
    if (!existing) this.table.entries.set(name, { value, builtin: true, listed: true });
    for (const a of aliases) if (!this.table.entries.has(a)) this.table.entries.set(a, { value, builtin: true, listed: false });
  }

  private put(key: string, value: T, override: boolean, builtin: boolean): void {
    const existing = this.table.entries.get(key);
    if (existing && existing.value !== value && !override) {
      throw new Error(
        `${this.who}: ${withArticle(this.kind)} named "${key}" is already registered${existing.builtin ? ' (built in)' : ''}; ` +
          `pass { override: true } to replace it, or register yours under another name or package`,
      );
    }
    this.table.entries.set(key, { value, builtin, listed: true });
  }

  /** Remove an entry (meant for tests and for undoing a registration); true if it was there. */
  unregister(name: string): boolean {
    const key = this.resolveKey(name);
    return key !== undefined && this.table.entries.delete(key);
  }

  /** Map-style alias of `unregister`. */
  delete(name: string): boolean {
    return this.unregister(name);
  }

  /**
   * The key `name` resolves to: the exact key; a contributed `package>name` by its name alone
   * when only one package has it; then (loose registries) the same up to case, `_`, `-` and
   * spaces. Throws when a name matches entries of several packages.
   */
  resolveKey(name: string): string | undefined {
    if (typeof name !== 'string') return undefined;
    const entries = this.table.entries;
    // Map lookups: 'constructor' or '__proto__' are just unknown names
    if (entries.has(name)) return name;
    const keys = [...entries.keys()];
    const qualified = name.includes('>');
    if (!qualified) {
      const byName = keys.filter((k) => k.includes('>') && plainName(k) === name);
      if (byName.length === 1) return byName[0];
      if (byName.length > 1) {
        throw new Error(`"${name}" names several registered ${this.plural} (${byName.join(', ')}); use the full key`);
      }
    }
    if (!this.loose) return undefined;
    const want = looseName(name);
    const matches = keys.filter((k) => looseName(qualified ? k : plainName(k)) === want);
    const values = new Set(matches.map((k) => (entries.get(k) as Entry<T>).value));
    if (values.size > 1) {
      throw new Error(`"${name}" matches several registered ${this.plural} (${matches.join(', ')}); use the exact name`);
    }
    return matches[0];
  }

  /** The entry for `name` (see `resolveKey`), or undefined. */
  get(name: string): T | undefined {
    const key = this.resolveKey(name);
    return key === undefined ? undefined : this.table.entries.get(key)?.value;
  }

  /**
   * The entry for `name`, or an error: `Unknown loss "cross_entropy". Known losses: ...`
   * (`where` prefixes the message when given).
   */
  require(name: string, where?: string): T {
    const value = this.get(name);
    if (value === undefined) {
      const prefix = where ? `${where}: ` : '';
      throw new Error(`${prefix}Unknown ${this.kind} ${describeValue(name)}. Known ${this.plural}: ${this.names().join(', ')}`);
    }
    return value;
  }

  /** True when `name` resolves to an entry. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** The key under which `value` is registered (its first listed key), or undefined. */
  keyOf(value: T): string | undefined {
    for (const [k, e] of this.table.entries) if (e.value === value && e.listed) return k;
    return undefined;
  }

  /** True when the entry under `name` is a built-in one. */
  isBuiltin(name: string): boolean {
    const key = this.resolveKey(name);
    return key !== undefined && this.table.entries.get(key)?.builtin === true;
  }

  /** The listed keys (aliases left out) in registration order: what messages show as the known names. */
  names(): string[] {
    return [...this.table.entries].filter(([, e]) => e.listed).map(([k]) => k);
  }

  /** Every key, aliases included, in registration order (as `Map.keys`). */
  keys(): IterableIterator<string> {
    return this.table.entries.keys();
  }

  /** `[key, value]` pairs, aliases included, in registration order (as `Map.entries`). */
  *entries(): IterableIterator<[string, T]> {
    for (const [k, e] of this.table.entries) yield [k, e.value];
  }

  /** Values, aliases included (as `Map.values`). */
  *values(): IterableIterator<T> {
    for (const e of this.table.entries.values()) yield e.value;
  }

  /** Number of keys, aliases included (as `Map.size`). */
  get size(): number {
    return this.table.entries.size;
  }

  [Symbol.iterator](): IterableIterator<[string, T]> {
    return this.entries();
  }

  /**
   * @deprecated Map-style write kept for code written against the 0.1 `Map` registries: replaces
   * without a package prefix. Use `register` (or the package's `registerX` function).
   */
  set(key: string, value: T): this {
    checkName(this.who, key);
    this.put(key, value, true, false);
    return this;
  }
}

/**
 * The registry named `id` (one per process, shared by every copy of the package that asks for
 * it). `createRegistry<LossFactory>('losses', { kind: 'loss' })`. Creating one has no effect a
 * bundler must keep: a `@__PURE__` annotation on the call lets it drop an unused registry and the
 * built-ins its `load` names.
 */
export function createRegistry<T>(id: string, options: RegistryOptions): Registry<T> {
  return new Registry<T>(id, options);
}
