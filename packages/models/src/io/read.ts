// Typed readers for parsed model files: each checks one value and, when it is wrong, throws a
// ModelFileError naming where in the file it is, what was expected and what was found.
import { ModelFileError, show } from './errors';
import type { JsonObject, JsonValue } from './types';

/** True for a JSON object (not an array, not null). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as an object, or an error naming `where`. */
export function asObject(v: unknown, where: string): JsonObject {
  if (!isObject(v)) throw new ModelFileError(`${where} must be an object, got ${show(v)}`);
  return v;
}

/** The value as an array, or an error naming `where`. */
export function asArray(v: unknown, where: string): JsonValue[] {
  if (!Array.isArray(v)) throw new ModelFileError(`${where} must be an array, got ${show(v)}`);
  return v as JsonValue[];
}

/** The value as a non-empty string, or an error naming `where`. */
export function asString(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new ModelFileError(`${where} must be a non-empty string, got ${show(v)}`);
  return v;
}

/** The value as an integer in [min, max], or an error naming `where`. */
export function asInt(v: unknown, where: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ModelFileError(`${where} must be an integer in [${min}, ${max}], got ${show(v)}`);
  }
  return v;
}

/** An own property (never one inherited from Object.prototype). */
export function own(o: JsonObject, key: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Throws when `value` holds a `__proto__`, `constructor` or `prototype` key anywhere, or anything
 * but JSON data (functions, class instances). Artifacts from any handler (IndexedDB, a custom
 * one) pass through here, not only text we parsed ourselves.
 */
export function assertPlainJson(value: unknown, where: string, depth = 0): void {
  if (depth > 64) throw new ModelFileError(`${where}: nested more than 64 levels deep`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertPlainJson(v, `${where}[${i}]`, depth + 1));
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new ModelFileError(`${where} must be plain JSON data, got an object of another kind`);
    for (const key of Object.keys(value)) {
      if (FORBIDDEN.has(key)) {
        throw new ModelFileError(`${where} contains the key "${key}", which a model file never has (it could pollute object prototypes)`);
      }
      assertPlainJson((value as Record<string, unknown>)[key], `${where}.${key}`, depth + 1);
    }
    return;
  }
  throw new ModelFileError(`${where} must be JSON data, got ${typeof value}`);
}
