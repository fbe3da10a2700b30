import { describeValue } from './describe';
import { toCamelCase } from './names';

// Levenshtein distance, for "did you mean" on typos (`monitr` → `monitor`).
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The known option a misspelt one most likely meant, or null: the camelCase spelling of a snake_case name, else a close typo. */
export function suggestOption(given: string, known: readonly string[]): string | null {
  const camel = toCamelCase(given);
  if (camel !== given && known.includes(camel)) return camel;
  const lower = given.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  // at most a third of the name wrong, and never a wholly different short word
  return best !== null && bestD <= Math.max(1, Math.floor(given.length / 3)) ? best : null;
}

/**
 * The one rule for options objects: `options` must be a plain object (or undefined), and every
 * key must be one of `known`; otherwise an error that names the unknown keys, the spelling meant
 * (`"restore_best_weights" (did you mean "restoreBestWeights"?)`) and the known options.
 *
 * `checkOptions('EarlyStopping', options, ['monitor', 'patience', ...])`
 */
export function checkOptions(where: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new Error(`${where}: options must be an object, got ${describeValue(options)}`);
  }
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const listed = unknown.map((k) => {
    const s = suggestOption(k, known);
    return s ? `"${k}" (did you mean "${s}"?)` : `"${k}"`;
  });
  throw new Error(
    `${where}: unknown option${unknown.length > 1 ? 's' : ''} ${listed.join(', ')}. ` +
      (known.length > 0 ? `Known options: ${known.join(', ')}` : 'It takes no options'),
  );
}

/** The kind an option's value must have, for `checkOptionTypes`. */
export type OptionKind = 'boolean' | 'number' | 'integer' | 'string' | 'function' | 'object' | 'array';

const KIND_TEXT: Record<OptionKind, string> = {
  boolean: 'true or false',
  number: 'a finite number',
  integer: 'an integer',
  string: 'a string',
  function: 'a function',
  object: 'an object',
  array: 'an array',
};

function hasKind(value: unknown, kind: OptionKind): boolean {
  switch (kind) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'string':
      return typeof value === 'string';
    case 'function':
      return typeof value === 'function';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
  }
}

/**
 * `checkOptions` plus the kind of each option given: `checkOptionTypes('CSVLogger', options,
 * { separator: 'string', append: 'boolean' })` refuses unknown keys and, for each key present
 * (not undefined), a value of another kind, naming the option and what was found. Ranges and
 * allowed values stay with the caller.
 */
export function checkOptionTypes(where: string, options: unknown, kinds: Readonly<Record<string, OptionKind | readonly OptionKind[]>>): void {
  checkOptions(where, options, Object.keys(kinds));
  if (options === undefined) return;
  for (const [key, want] of Object.entries(kinds)) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const allowed = (Array.isArray(want) ? want : [want]) as readonly OptionKind[];
    if (!allowed.some((k) => hasKind(value, k))) {
      throw new Error(`${where}: ${key} must be ${allowed.map((k) => KIND_TEXT[k]).join(' or ')}, got ${describeValue(value)}`);
    }
  }
}
