// Key spelling between our configs (camelCase, as tfjs's in-memory configs) and the Keras JSON
// of model files (snake_case). The rules are tfjs-layers' own, so names round-trip the same way
// in both libraries. Values are never rewritten: our names (activations, initializer modes) are
// already Keras's.
import { isObject } from './read';
import type { JsonObject, JsonValue } from './types';

/** `batchInputShape` → `batch_input_shape` (tfjs-layers' `toSnakeCase`). */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const snake = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return snake[0] !== '_' ? snake : `private${snake}`;
}

/** `batch_input_shape` → `batchInputShape`, `beta_1` → `beta1` (tfjs-layers' `toCamelCase`). */
export function toCamelCase(name: string): string {
  if (name.length <= 1 || !name.includes('_')) return name;
  return name.replace(/[_]+(\w|$)/g, (_m, c: string) => c.toUpperCase());
}

/** Every object key in `value` (recursively) respelt; `className` becomes `class_name`. */
export function keysToSnake(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(keysToSnake);
  if (!isObject(value)) return value === undefined ? null : (value as JsonValue);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[toSnakeCase(k)] = keysToSnake(v);
  return out;
}

/** Every object key in `value` (recursively) respelt; `class_name` becomes `className`. */
export function keysToCamel(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(keysToCamel);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[toCamelCase(k)] = keysToCamel(v);
  return out;
}
