import { ModelFileError } from './errors';
import type { JsonValue } from './types';

/** Keys that could reach a prototype when the parsed data is later copied or merged. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** The largest model.json we read (far above any real one; stops a memory bomb). */
export const MAX_MODEL_JSON_BYTES = 256 * 1024 * 1024;

// Deep nesting overflows the stack of recursive walkers; real files are a few levels deep.
const MAX_DEPTH = 64;

function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* { [ */) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * Parse a model file's JSON as data only. A reviver rejects `__proto__`, `constructor` and
 * `prototype` keys (they are never part of a model, and copying them around could pollute
 * prototypes), nesting deeper than 64 levels is refused, and a syntax error says where the text
 * stops making sense (a truncated file reads "ends early").
 */
export function parseModelJson(text: string, what = 'model.json'): JsonValue {
  if (typeof text !== 'string') throw new ModelFileError(`${what}: expected JSON text, got ${typeof text}`);
  if (text.length > MAX_MODEL_JSON_BYTES) {
    throw new ModelFileError(`${what}: ${text.length} characters is more than the ${MAX_MODEL_JSON_BYTES} a model file may have`);
  }
  if (text.trim().length === 0) throw new ModelFileError(`${what} is empty; expected a JSON object with modelTopology and weightsManifest`);
  const depth = depthOf(text);
  if (depth > MAX_DEPTH) throw new ModelFileError(`${what}: JSON nested ${depth} levels deep; a model file has at most ${MAX_DEPTH}`);
  try {
    return JSON.parse(text, function reviver(key: string, value: unknown) {
      if (FORBIDDEN.has(key)) {
        throw new ModelFileError(`${what} contains the key "${key}", which a model file never has (it could pollute object prototypes); refusing to load it`);
      }
      return value;
    }) as JsonValue;
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    const msg = (e as Error).message;
    const truncated = /end of (JSON )?input|Unterminated|Unexpected end/i.test(msg);
    throw new ModelFileError(
      `${what} is not valid JSON${truncated ? ' (it ends early: truncated file?)' : ''}: ${msg}`,
      { cause: e },
    );
  }
}
