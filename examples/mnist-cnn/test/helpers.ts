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

/** scikit-learn's classification_report layout for the ten digit classes. */
export const REPORT_LAYOUT = new RegExp(
  [
    '^ {14}precision {4}recall  f1-score   support\\n\\n',
    ...Array.from({ length: 10 }, (_, c) => ` {11}${c} {7}\\d\\.\\d\\d( {6}\\d\\.\\d\\d){2} +\\d+\\n`),
    '\\n {4}accuracy {27}\\d\\.\\d\\d +\\d+\\n',
    ' {3}macro avg {7}\\d\\.\\d\\d( {6}\\d\\.\\d\\d){2} +\\d+\\n',
    'weighted avg {7}\\d\\.\\d\\d( {6}\\d\\.\\d\\d){2} +\\d+\\n$',
  ].join(''),
);
