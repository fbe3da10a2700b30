// ensureKernels: the seam through which @neurona/models asks for the kernels and gradients a page's
// bundle deferred before it trains on the tape. No loader (Node): nothing to do; a loader runs
// once, shared by concurrent callers; a failed load is retried by the next call.
import { afterEach, describe, expect, it } from 'vitest';
import { ensureKernels, setKernelLoader } from '../src/index';

afterEach(() => setKernelLoader(null));

describe('ensureKernels', () => {
  it('resolves at once without a loader (Node, a page that defers nothing)', async () => {
    await expect(ensureKernels()).resolves.toBeUndefined();
  });

  it('runs the loader once, however many callers wait on it', async () => {
    let calls = 0;
    let release!: () => void;
    setKernelLoader(() => {
      calls++;
      return new Promise<void>((r) => (release = r));
    });
    const a = ensureKernels();
    const b = ensureKernels();
    expect(calls).toBe(1);
    release();
    await Promise.all([a, b, ensureKernels()]);
    expect(calls).toBe(1);
  });

  it('rejects with the loader\'s error, and the next call loads again', async () => {
    let calls = 0;
    setKernelLoader(async () => {
      calls++;
      if (calls === 1) throw new Error('chunk failed to load');
    });
    await expect(ensureKernels()).rejects.toThrow('chunk failed to load');
    await expect(ensureKernels()).resolves.toBeUndefined();
    expect(calls).toBe(2);
    await ensureKernels();
    expect(calls).toBe(2);
  });

  it('a new loader replaces the old one and runs on the next call', async () => {
    const ran: string[] = [];
    setKernelLoader(async () => void ran.push('first'));
    await ensureKernels();
    setKernelLoader(async () => void ran.push('second'));
    await ensureKernels();
    expect(ran).toEqual(['first', 'second']);
  });
});
