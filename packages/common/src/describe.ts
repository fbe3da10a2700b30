/** The longest description `describeValue` prints before it cuts with `...`. */
const MAX = 80;

interface TensorLikeValue {
  shape: number[];
  dtype: string;
  isDisposed?: boolean;
}

function isTensorLike(x: object): x is TensorLikeValue {
  const t = x as Partial<TensorLikeValue> & { dataId?: unknown };
  return Array.isArray(t.shape) && typeof t.dtype === 'string' && 'dataId' in x;
}

function cut(s: string): string {
  return s.length > MAX ? `${s.slice(0, MAX - 3)}...` : s;
}

function isPlain(x: object): boolean {
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A short printable form of any value for error messages: `"relu"` (strings quoted), `NaN`,
 * `Infinity`, `[1, 2]`, `{"units":10}`, `a Tensor float32 [32, 784]`, `a Float32Array of 784
 * values`, `a function relu`, `a Promise`, `Dense "dense_1"` (objects with their own `toString`).
 * Long forms are cut to 80 characters.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return cut(JSON.stringify(value));
  // JSON would print NaN and Infinity as null
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') {
    const fn = value as { className?: unknown; name?: unknown };
    const name = typeof fn.className === 'string' ? fn.className : typeof fn.name === 'string' ? fn.name : '';
    return name ? `a function ${name}` : 'a function';
  }
  if (isTensorLike(value)) {
    const dead = value.isDisposed === true ? ' (disposed)' : '';
    return `a Tensor ${value.dtype} [${value.shape.join(', ')}]${dead}`;
  }
  if (ArrayBuffer.isView(value)) {
    const n = (value as unknown as { length?: number }).length ?? value.byteLength;
    return `a ${value.constructor.name} of ${n} values`;
  }
  if (value instanceof Promise) return 'a Promise (await it first)';
  if (Array.isArray(value)) return cut(`[${value.map(describeValue).join(', ')}]`);
  if (!isPlain(value)) {
    const own = (value as { toString?: () => string }).toString;
    if (typeof own === 'function' && own !== Object.prototype.toString) return cut(String(own.call(value)));
    const name = (value.constructor as { name?: string } | undefined)?.name;
    return name ? withArticle(name) : 'an object';
  }
  try {
    const s = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
    return cut(s ?? 'an object');
  } catch {
    return 'an object';
  }
}

// The shape of nested number arrays (read down the first items; every item of the top level
// must be of the same kind), or null when it is not one.
function numberArrayShape(v: unknown[]): number[] | null {
  const firstIsArray = Array.isArray(v[0]);
  if (!v.every((x) => Array.isArray(x) === firstIsArray && (firstIsArray || typeof x === 'number'))) return null;
  const shape: number[] = [];
  let level: unknown = v;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) return shape;
    level = level[0];
  }
  return typeof level === 'number' ? shape : null;
}

/**
 * What kind of value a data argument got, for messages about data (`fit(x)`, a dataset's
 * elements): `the number 5`, `the string "cat"`, `a float32 tensor [2, 3]`, `a Float32Array of
 * 784`, `an array of numbers [2, 3]`, `an array of 2`, `an object with keys {x, y}`,
 * `the function load`. (`describeValue` prints configuration values as written.)
 */
export function describeData(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object' && isTensorLike(v)) {
    return `a ${v.isDisposed === true ? 'disposed ' : ''}${v.dtype} tensor [${v.shape.join(', ')}]`;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return `a ${v.constructor.name} of ${(v as unknown as { length: number }).length}`;
  switch (typeof v) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return `the ${typeof v} ${String(v)}`;
    case 'string':
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'symbol':
      return `the symbol ${v.toString()}`;
    case 'function': {
      const name = (v as { name?: unknown }).name;
      return typeof name === 'string' && name.length > 0 ? `the function ${name}` : 'a function';
    }
    default:
      break;
  }
  if (Array.isArray(v)) {
    const shape = numberArrayShape(v);
    return shape && v.length > 0 ? `an array of numbers [${shape.join(', ')}]` : `an array of ${v.length}`;
  }
  if (v instanceof Promise) return 'a Promise (await it first)';
  if (isPlain(v)) return `an object with keys {${Object.keys(v).join(', ')}}`;
  const name = (v.constructor as { name?: string } | undefined)?.name;
  return name ? withArticle(name) : 'an object';
}

/** `a Layer`, `an EarlyStoppingCallback`. */
function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}
