import { describe, expect, it } from 'vitest';
import type { BackendInfo } from '@neurona/tensor';
import { selectBackend, setWasmPaths, WEB_BACKENDS, webCandidates } from '../src/index';
import type { Candidate } from '../src/types';

const ok = (name: string): Candidate => ({ name, start: async () => ({ info: { name, kind: 'cpu', details: {} } as BackendInfo, summary: '' }) });
const no = (name: string, why: string): Candidate => ({ name, start: async () => { throw new Error(why); } });

describe('backend-web selection (logic only; the browser runs are in browser-backend.test.ts)', () => {
  it('lists the browser backends in order', () => {
    expect(webCandidates().map((c) => c.name)).toEqual([...WEB_BACKENDS]);
    expect(WEB_BACKENDS).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('falls through to the first backend that starts, keeping reasons', async () => {
    const r = await selectBackend([no('webgpu', 'navigator.gpu is missing'), no('webgl', 'only a software renderer'), ok('wasm')]);
    expect(r.chosen).toBe('wasm');
    expect(r.tried.map((t) => t.reason)).toEqual(['navigator.gpu is missing', 'only a software renderer', 'started']);
  });

  it('a forced backend that cannot start throws, never falls back', async () => {
    await expect(selectBackend([no('webgpu', 'no adapter'), ok('cpu')], { force: 'webgpu', forcedBy: 'the force option' })).rejects.toThrow(
      'Backend "webgpu" was forced by the force option but cannot start: no adapter',
    );
  });

  it('outside a browser, webgpu and webgl say why they cannot start', async () => {
    const [webgpu, webgl] = webCandidates();
    await expect(webgpu.start(false)).rejects.toThrow(/navigator\.gpu is missing/);
    await expect(webgl.start(false)).rejects.toThrow(/no canvas|WebGL is unavailable/);
  });

  it('setWasmPaths wants all three binaries when given a map', () => {
    expect(() => setWasmPaths({ 'tfjs-backend-wasm.wasm': 'a' } as never)).toThrow(
      'setWasmPaths: no URL for tfjs-backend-wasm-simd.wasm, tfjs-backend-wasm-threaded-simd.wasm',
    );
  });
});
