import { afterEach, describe, expect, it, vi } from 'vitest';
import { getBackendInfo, listBackendProviders } from '@neurona/tensor';
import { startBackendProvider } from '../src/index';

describe('startBackendProvider', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('registers and starts the provider, reporting its declared capabilities; warnings are printed as usual', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const capabilities = { memory: 'host', syncRead: true, gpu: false } as const;
    const info = await startBackendProvider({
      name: 'cpu',
      kind: 'cpu',
      capabilities,
      load: async () => {
        console.warn('a note from load');
        return { note: 1 };
      },
    });
    expect(info).toEqual({ name: 'cpu', kind: 'cpu', capabilities, details: { note: 1 } });
    expect(getBackendInfo()).toEqual(info);
    expect(listBackendProviders()).toContain('cpu');
    expect(warn).toHaveBeenCalledWith('a note from load');
  });

  it("folds what was printed while starting into the reason when the backend cannot start", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const p = startBackendProvider({
      name: 'no-such-tfjs-backend',
      kind: 'cpu',
      load: async () => {
        console.warn('driver said: no device\nsecond line');
        return {};
      },
    });
    await expect(p).rejects.toThrow(/no-such-tfjs-backend.*: driver said: no device$/);
    expect(warn).not.toHaveBeenCalled();
  });

  it('rejects a malformed provider before starting anything', async () => {
    await expect(startBackendProvider({ name: 'x', kind: 'tpu' } as never)).rejects.toThrow(
      "registerBackendProvider: kind of \"x\" must be 'gpu' or 'cpu', got \"tpu\"",
    );
  });
});
