// The example programs print their results; their tests read what was printed.

/**
 * Run `fn` with console.log and process.stdout.write captured (and kept off the test output);
 * returns what it printed, in order, as one string. Both are restored afterwards, also when `fn` throws.
 */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; text: string }> {
  const chunks: string[] = [];
  const log = Object.getOwnPropertyDescriptor(console, 'log');
  const write = Object.getOwnPropertyDescriptor(process.stdout, 'write');
  console.log = (...args: unknown[]) => void chunks.push(`${args.map(String).join(' ')}\n`);
  process.stdout.write = ((text: string | Uint8Array) => {
    chunks.push(typeof text === 'string' ? text : Buffer.from(text).toString());
    return true;
  }) as typeof process.stdout.write;
  try {
    const result = await fn();
    return { result, text: chunks.join('') };
  } finally {
    restore(console, 'log', log);
    restore(process.stdout, 'write', write);
  }
}

/** Puts back an own property as it was, or removes the own one set over the prototype's. */
function restore(target: object, key: string, was: PropertyDescriptor | undefined): void {
  if (was) Object.defineProperty(target, key, was);
  else delete (target as Record<string, unknown>)[key];
}
