import { checkOptions } from '@neurona/common';
/** Check `limit` and return how many of `available` samples to take. */
export function resolveLimit(limit: number | undefined, available: number, who: string): number {
  if (limit === undefined) return available;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new Error(`${who}: limit must be a positive integer, got ${String(limit)}`);
  }
  return Math.min(limit, available);
}

// Which options each source takes: a misspelled or misplaced one is an error, not silently ignored.
const ALLOWED = {
  embedded: ['limit'],
  dir: ['dir', 'limit'],
  url: ['url', 'limit', 'cacheDir', 'checksums', 'progress'],
} as const;

/** Reject unknown options (`samples`), options of another source (`cacheDir` with `dir`), and `dir` with `url`. */
export function checkOptionNames(options: object, who: string): void {
  if (options === null || typeof options !== 'object') throw new Error(`${who}: expected an options object, got ${String(options)}`);
  const keys = Object.keys(options).filter((k) => (options as Record<string, unknown>)[k] !== undefined);
  if (keys.includes('dir') && keys.includes('url')) throw new Error(`${who}: give either dir (local IDX files) or url (download), not both`);
  const mode = keys.includes('url') ? 'url' : keys.includes('dir') ? 'dir' : 'embedded';
  const allowed: readonly string[] = ALLOWED[mode];
  const known: string[] = [...new Set(Object.values(ALLOWED).flat())];
  // a name no source takes: the common rule (did-you-mean, known options)
  checkOptions(who, Object.fromEntries(keys.map((k) => [k, true])), known);
  for (const key of keys) {
    if (allowed.includes(key)) continue;
    throw new Error(`${who}: option "${key}" does not apply to the ${mode} source; options of the ${mode} source: ${allowed.join(', ')}`);
  }
}
