import { vi } from 'vitest';

/**
 * Run `fn` with console.log and process.stdout.write captured (and kept off the test output);
 * returns what it printed, in order, as one string.
 */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; text: string }> {
  const chunks: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void chunks.push(`${args.map(String).join(' ')}\n`));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((text: string | Uint8Array) => {
    chunks.push(typeof text === 'string' ? text : Buffer.from(text).toString());
    return true;
  });
  try {
    const result = await fn();
    return { result, text: chunks.join('') };
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
}
