// A merge that left its conflict markers in a tracked file (a guide held both sides of one once,
// and the docs tests still passed: a marker line is valid Markdown). git itself lists them.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

describe('tracked files', () => {
  it('hold no merge conflict markers', () => {
    let found = '';
    try {
      // -I skips binary files; the pattern is split so that this file does not match itself.
      found = execFileSync('git', ['grep', '-n', '-I', '-E', '^(<{7} |>{7} )', '--', '.', ':!pnpm-lock.yaml'], { cwd: ROOT, encoding: 'utf8' });
    } catch (e) {
      // git grep exits 1 when nothing matches.
      if ((e as { status?: number }).status !== 1) throw e;
    }
    expect(found, `conflict markers left by a merge:\n${found}`).toBe('');
  });
});
