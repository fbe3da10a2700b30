// useWebBackend({ fastKernels }): neurona's fast kernels on the chosen backend when its memory is
// JavaScript's (here in Node on cpu; the page's wasm run in Chromium is examples/mnist-web's test).
import { afterEach, describe, expect, it } from 'vitest';
import { fastKernelsActive, fastKernelsStatus, useFastKernels } from '@neurona/kernels';
import { useWebBackend } from '../src/index';

afterEach(() => {
  useFastKernels(false);
});

describe('useWebBackend({ fastKernels })', () => {
  it('turns them on for a backend whose memory JavaScript reaches, and says so', async () => {
    useFastKernels(false);
    const lines: string[] = [];
    const choice = await useWebBackend({ force: 'cpu', fastKernels: true, log: (l) => lines.push(l) });
    expect(choice.chosen).toBe('cpu');
    expect(fastKernelsActive()).toBe(true);
    const status = fastKernelsStatus();
    expect(choice.fastKernels).toEqual({ threads: status.threads, fma: status.fma ?? false });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(` \\| fast kernels on ${status.threads} threads?(, FMA)?$`));
  });

  it('leaves them as they are without the option, and refuses a value that is not a boolean', async () => {
    useFastKernels(false);
    const choice = await useWebBackend({ force: 'cpu', silent: true });
    expect(choice.fastKernels).toBeUndefined();
    expect(fastKernelsActive()).toBe(false);
    await expect(useWebBackend({ force: 'cpu', silent: true, fastKernels: 'yes' as never })).rejects.toThrow('useWebBackend: fastKernels must be true or false, got "yes"');
  });
});
