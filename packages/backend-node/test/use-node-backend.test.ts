import { afterEach, describe, expect, it } from 'vitest';
import { getBackendInfo, listBackendProviders, setBackend, getBackend } from '@neurona/tensor';
import { useNodeBackend, NODE_BACKENDS, probeDawn, isSoftwareAdapter, fastKernelsStatus, tfjsNodeProvider, webgpuProvider } from '../src/index';
import { dawnEntry } from '../src/webgpu';
import { resolveOptional } from '../src/resolve';

const saved = process.env.NEURONA_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.NEURONA_BACKEND;
  else process.env.NEURONA_BACKEND = saved;
});

describe('useNodeBackend', () => {
  it('registers its providers with @neurona/tensor on import', async () => {
    expect(listBackendProviders()).toEqual(expect.arrayContaining(['cpu', 'wasm', 'webgpu', 'tensorflow']));
    await setBackend('cpu');
    expect(getBackend()).toBe('cpu');
  });

  it('tries tfjs-node-gpu, WebGPU (hardware only) and tfjs-node before wasm, saying why each was skipped', async () => {
    delete process.env.NEURONA_BACKEND;
    const lines: string[] = [];
    const r = await useNodeBackend({ log: (l) => lines.push(l) });
    expect(r.tried.map((t) => t.name)).toEqual(NODE_BACKENDS.slice(0, r.tried.length));
    for (const t of r.tried.slice(0, -1)) expect(t.ok === false && t.reason.length > 0).toBe(true);
    expect(r.tried.at(-1)?.ok).toBe(true);
    expect(getBackendInfo()).toEqual(r.info);
    expect(lines).toHaveLength(1);
    console.log(lines[0]);
    expect(lines[0]).toContain(`neurona backend: ${r.chosen}`);

    // On a machine without a GPU and without the native tfjs-node packages (this one), it is wasm.
    const probe = await probeDawn(dawnEntry());
    const hardware = probe.adapter !== null && !isSoftwareAdapter(probe.adapter);
    const native = resolveOptional('@tensorflow/tfjs-node') || resolveOptional('@tensorflow/tfjs-node-gpu');
    if (!hardware && !native) {
      expect(r.chosen).toBe('wasm');
      const [gpu, webgpu, node] = r.tried;
      expect(gpu.reason).toMatch(/not installed|native addon/);
      expect(webgpu.reason).toMatch(/only a software adapter|no WebGPU adapter|not installed/);
      expect(node.reason).toMatch(/not installed|native addon/);
      expect(r.info.details).toMatchObject({ simd: true });
      expect(lines[0]).toMatch(/^neurona backend: wasm \(SIMD on, threads off\) \| skipped tfjs-node-gpu: .+; webgpu: .+; tfjs-node: .+$/);
    }
  });

  it('NEURONA_BACKEND forces a backend', async () => {
    process.env.NEURONA_BACKEND = 'cpu';
    const r = await useNodeBackend({ silent: true });
    expect(r.chosen).toBe('cpu');
    expect(r.tried).toEqual([{ name: 'cpu', ok: true, reason: 'forced by NEURONA_BACKEND=cpu; plain JavaScript' }]);
    expect(getBackendInfo().name).toBe('cpu');
  });

  it('the force option wins over NEURONA_BACKEND', async () => {
    process.env.NEURONA_BACKEND = 'cpu';
    const r = await useNodeBackend({ force: 'wasm', silent: true });
    expect(r.chosen).toBe('wasm');
    expect(getBackendInfo()).toMatchObject({ name: 'wasm', kind: 'cpu', details: { simd: true, threads: false } });
  });

  it('every provider declares its capabilities, and getBackendInfo reports them', async () => {
    await useNodeBackend({ force: 'cpu', silent: true });
    expect(getBackendInfo().capabilities).toEqual({ memory: 'host', syncRead: true, gpu: false });
    await useNodeBackend({ force: 'wasm', silent: true });
    expect(getBackendInfo().capabilities).toEqual({ memory: 'wasm-heap', syncRead: true, gpu: false });
    expect(webgpuProvider.capabilities).toEqual({ memory: 'device', syncRead: false, gpu: true });
    expect(tfjsNodeProvider('@tensorflow/tfjs-node').capabilities).toEqual({ memory: 'opaque', syncRead: true, gpu: false });
    expect(tfjsNodeProvider('@tensorflow/tfjs-node-gpu')).toMatchObject({ kind: 'gpu', capabilities: { memory: 'device', syncRead: true, gpu: true } });
  });

  it('an unknown name is an error listing the known names', async () => {
    process.env.NEURONA_BACKEND = 'tpu';
    await expect(useNodeBackend({ silent: true })).rejects.toThrow(
      'Unknown backend "tpu" (forced by NEURONA_BACKEND=tpu). Known backends: tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu',
    );
  });

  it('a forced backend that cannot start throws its reason and leaves the current backend alone', async () => {
    if (resolveOptional('@tensorflow/tfjs-node')) return; // installed and working on this machine
    await useNodeBackend({ force: 'cpu', silent: true });
    await expect(useNodeBackend({ force: 'tfjs-node', silent: true })).rejects.toThrow(
      'Backend "tfjs-node" was forced by the force option but cannot start: not installed (optional peer dependency @tensorflow/tfjs-node)',
    );
    expect(getBackend()).toBe('cpu');
  });

  it('prefer takes the named backend first', async () => {
    const r = await useNodeBackend({ prefer: 'cpu', silent: true });
    expect(r.chosen).toBe('cpu');
    expect(r.tried).toEqual([{ name: 'cpu', ok: true, reason: 'preferred; plain JavaScript' }]);
  });
});

describe('fast kernels', () => {
  const savedFast = process.env.NEURONA_FAST_KERNELS;
  afterEach(() => {
    if (savedFast === undefined) delete process.env.NEURONA_FAST_KERNELS;
    else process.env.NEURONA_FAST_KERNELS = savedFast;
  });

  it('are turned on for cpu and wasm, and say so in the log line', async () => {
    delete process.env.NEURONA_FAST_KERNELS;
    for (const force of ['cpu', 'wasm']) {
      const lines: string[] = [];
      await useNodeBackend({ force, log: (l) => lines.push(l) });
      expect(fastKernelsStatus()).toMatchObject({ enabled: true, backends: ['cpu', 'wasm'] });
      expect(lines[0]).toMatch(/fast kernels on \d+ threads?/);
    }
  });

  it('stay off with fastKernels: false or NEURONA_FAST_KERNELS=0', async () => {
    await useNodeBackend({ force: 'cpu', silent: true, fastKernels: false });
    expect(fastKernelsStatus().enabled).toBe(false);
    process.env.NEURONA_FAST_KERNELS = '0';
    const lines: string[] = [];
    await useNodeBackend({ force: 'wasm', log: (l) => lines.push(l) });
    expect(fastKernelsStatus().enabled).toBe(false);
    expect(lines[0]).not.toMatch(/fast kernels/);
    delete process.env.NEURONA_FAST_KERNELS;
    await useNodeBackend({ force: 'cpu', silent: true });
    expect(fastKernelsStatus().enabled).toBe(true);
  });
});
