import { describe, expect, it, vi } from 'vitest';
import type { BackendInfo } from '@neurona/tensor';
import type { Candidate } from '../src/index';
import { selectBackend, formatChoice, BackendSelectionError } from '../src/index';

function fake(name: string, fails?: string, softwareOnly = false): Candidate & { start: ReturnType<typeof vi.fn> } {
  return {
    name,
    start: vi.fn(async (explicit: boolean) => {
      if (fails) throw new Error(fails);
      if (softwareOnly && !explicit) throw new Error('only a software adapter');
      const info: BackendInfo = { name, kind: 'cpu', capabilities: { memory: 'host', syncRead: true, gpu: false }, details: {} };
      return { info, summary: `${name} ok` };
    }),
  };
}

describe('selectBackend', () => {
  it('takes the first candidate that starts and records why earlier ones were skipped', async () => {
    const cs = [fake('a', 'not installed'), fake('b', undefined, true), fake('c'), fake('d')];
    const r = await selectBackend(cs);
    expect(r.chosen).toBe('c');
    expect(r.tried).toEqual([
      { name: 'a', ok: false, reason: 'not installed' },
      { name: 'b', ok: false, reason: 'only a software adapter' },
      { name: 'c', ok: true, reason: 'c ok' },
    ]);
    expect(cs[3].start).not.toHaveBeenCalled();
    expect(formatChoice(r)).toBe('neurona backend: c (c ok) | skipped a: not installed; b: only a software adapter');
  });

  it('a forced name starts explicitly (software adapters allowed) and nothing else is tried', async () => {
    const cs = [fake('a'), fake('b', undefined, true)];
    const r = await selectBackend(cs, { force: 'b', forcedBy: 'NEURONA_BACKEND=b' });
    expect(r.chosen).toBe('b');
    expect(cs[1].start).toHaveBeenCalledWith(true);
    expect(cs[0].start).not.toHaveBeenCalled();
    expect(r.tried).toEqual([{ name: 'b', ok: true, reason: 'forced by NEURONA_BACKEND=b; b ok' }]);
  });

  it('a forced backend that cannot start throws with its reason, never falls back', async () => {
    const cs = [fake('a', 'native addon does not load'), fake('b')];
    const err = await selectBackend(cs, { force: 'a', forcedBy: 'the force option' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendSelectionError);
    expect((err as Error).message).toBe('Backend "a" was forced by the force option but cannot start: native addon does not load');
    expect((err as BackendSelectionError).tried).toEqual([{ name: 'a', ok: false, reason: 'native addon does not load' }]);
    expect(cs[1].start).not.toHaveBeenCalled();
  });

  it('an unknown forced or preferred name lists the known names', async () => {
    const cs = [fake('a'), fake('b')];
    await expect(selectBackend(cs, { force: 'zz', forcedBy: 'NEURONA_BACKEND=zz' })).rejects.toThrow(
      'Unknown backend "zz" (forced by NEURONA_BACKEND=zz). Known backends: a, b',
    );
    await expect(selectBackend(cs, { prefer: 'zz' })).rejects.toThrow('Known backends: a, b');
  });

  it('prefer tries that one first, explicitly, and falls back in order when it cannot start', async () => {
    const ok = await selectBackend([fake('a'), fake('b', undefined, true)], { prefer: 'b' });
    expect(ok.chosen).toBe('b');
    expect(ok.tried[0].reason).toBe('preferred; b ok');
    const fell = await selectBackend([fake('a'), fake('b', 'no adapter')], { prefer: 'b' });
    expect(fell.chosen).toBe('a');
    expect(fell.tried.map((t) => [t.name, t.ok])).toEqual([['b', false], ['a', true]]);
  });

  it('throws with every reason when nothing starts', async () => {
    await expect(selectBackend([fake('a', 'x'), fake('b', 'y')])).rejects.toThrow('No backend could start: a: x; b: y');
  });
});
