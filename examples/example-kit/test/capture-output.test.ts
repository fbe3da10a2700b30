import { describe, expect, it } from 'vitest';
import { captureOutput } from '../src/capture-output';
import { REPORT_LAYOUT } from '../src/report-layout';

describe('captureOutput', () => {
  it('returns the result and what console.log and process.stdout.write printed, in order', async () => {
    const { result, text } = await captureOutput(async () => {
      console.log('a', 1);
      process.stdout.write('b');
      process.stdout.write(new TextEncoder().encode('c\n'));
      return 42;
    });
    expect(result).toBe(42);
    expect(text).toBe('a 1\nbc\n');
  });

  it('restores both, also when the function throws', async () => {
    const log = console.log;
    const write = process.stdout.write;
    await expect(captureOutput(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(console.log).toBe(log);
    expect(process.stdout.write).toBe(write);
  });
});

/** One line of a classification report. */
const row = (label: string) => `${label.padStart(12)}       0.98      0.97      0.97       100\n`;

describe('REPORT_LAYOUT', () => {
  it('matches a classification report of ten classes and nothing less', () => {
    const report = [
      '              precision    recall  f1-score   support\n\n',
      ...Array.from({ length: 10 }, (_, c) => row(String(c))),
      '\n    accuracy                           0.97      1000\n',
      row('macro avg'),
      row('weighted avg'),
    ].join('');
    expect(report).toMatch(REPORT_LAYOUT);
    expect(report.replace(row('9'), '')).not.toMatch(REPORT_LAYOUT);
  });
});
