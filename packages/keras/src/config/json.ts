// JSON values from Keras files: parsed with the models package's safe parser (no `__proto__`,
// bounded depth), plus small typed readers that name where a wrong value sits.
import { ModelFileError } from '@neurona/models';
import type { JsonObject, JsonValue } from '@neurona/models';

export type { JsonObject, JsonValue };

/** True for a JSON object (not an array, not null). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An own property, never an inherited one. */
export function own(o: JsonObject, key: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** A short printable form of a value for messages: `describeValue` of @neurona/common. */
import { describeValue as show } from '@neurona/common';

export { show };

/** The value as an object, or a ModelFileError naming `where`. */
export function asObject(v: unknown, where: string): JsonObject {
  if (!isObject(v)) throw new ModelFileError(`${where} must be an object, got ${show(v)}`);
  return v;
}

/** The value as an array, or a ModelFileError naming `where`. */
export function asArray(v: unknown, where: string): JsonValue[] {
  if (!Array.isArray(v)) throw new ModelFileError(`${where} must be a list, got ${show(v)}`);
  return v as JsonValue[];
}

/** The value as a non-empty string, or a ModelFileError naming `where`. */
export function asString(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new ModelFileError(`${where} must be a non-empty string, got ${show(v)}`);
  return v;
}

/** The value as an integer in [min, max], or a ModelFileError naming `where`. */
export function asInt(v: unknown, where: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ModelFileError(`${where} must be an integer in [${min}, ${max}], got ${show(v)}`);
  }
  return v;
}
