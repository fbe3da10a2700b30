/** Reject option names a function does not know (catches typos such as `testsize`). */
export function checkKeys(who: string, options: object, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) {
    throw new Error(`${who}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new Error(`${who}: unknown option "${key}". Known options: ${known.join(', ')}`);
  }
}
