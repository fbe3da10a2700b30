import { afterAll, describe, expect, it } from 'vitest';
import * as T from '../src/index';
import { watchBackends } from '../src/kernel-api';
import type { BackendCapabilities } from '../src/index';

const load = async () => ({});

describe('backend capabilities', () => {
  afterAll(async () => {
    await T.setBackend('cpu');
  });

  it('a provider without capabilities gets the documented defaults', () => {
    T.registerBackendProvider({ name: 'undeclared-gpu', kind: 'gpu', load });
    T.registerBackendProvider({ name: 'undeclared-cpu', kind: 'cpu', load });
    const seen = new Map<string, BackendCapabilities>();
    const stop = watchBackends((name, c) => seen.set(name, c));
    stop();
    expect(seen.get('undeclared-gpu')).toEqual({ memory: 'opaque', syncRead: true, gpu: true });
    expect(seen.get('undeclared-cpu')).toEqual({ memory: 'opaque', syncRead: true, gpu: false });
  });

  it('getBackendInfo reports what the current backend declared', async () => {
    const cpu: BackendCapabilities = { memory: 'host', syncRead: true, gpu: false };
    T.registerBackendProvider({ name: 'cpu', kind: 'cpu', capabilities: cpu, load });
    const info = await T.setBackend('cpu');
    expect(info).toEqual({ name: 'cpu', kind: 'cpu', capabilities: cpu, details: {} });
    expect(T.getBackendInfo()).toEqual(info);
    // a copy: changing it changes nothing
    T.getBackendInfo().capabilities.syncRead = false;
    expect(T.getBackendInfo().capabilities.syncRead).toBe(true);
  });

  it('re-registering the running backend reports its new declaration and keeps the details', async () => {
    T.registerBackendProvider({ name: 'cpu', kind: 'cpu', capabilities: { memory: 'host', syncRead: true, gpu: false }, load: async () => ({ started: 1 }) });
    await T.setBackend('cpu');
    T.registerBackendProvider({ name: 'cpu', kind: 'cpu', capabilities: { memory: 'opaque', syncRead: false, gpu: false }, load });
    expect(T.getBackendInfo()).toEqual({ name: 'cpu', kind: 'cpu', capabilities: { memory: 'opaque', syncRead: false, gpu: false }, details: { started: 1 } });
    T.registerBackendProvider({ name: 'cpu', kind: 'cpu', capabilities: { memory: 'host', syncRead: true, gpu: false }, load });
  });

  it('rejects a malformed provider, saying which field and what it got', () => {
    const bad: [unknown, string][] = [
      [null, 'registerBackendProvider: expects { name, kind, capabilities?, load }, got null'],
      [{ name: '', kind: 'cpu', load }, 'registerBackendProvider: name must be a non-empty string, got ""'],
      [{ name: 'x', kind: 'tpu', load }, `registerBackendProvider: kind of "x" must be 'gpu' or 'cpu', got "tpu"`],
      [{ name: 'x', kind: 'cpu', load: 1 }, 'registerBackendProvider: load of "x" must be a function, got number'],
      [{ name: 'x', kind: 'cpu', load, capabilities: 'fast' }, 'registerBackendProvider: "x": capabilities must be an object { memory, syncRead, gpu }, got string'],
      [{ name: 'x', kind: 'cpu', load, capabilities: { memory: 'gpu', syncRead: true, gpu: false } }, `registerBackendProvider: "x": capabilities.memory must be one of 'host', 'wasm-heap', 'device', 'opaque', got "gpu"`],
      [{ name: 'x', kind: 'cpu', load, capabilities: { memory: 'host', syncRead: 1, gpu: false } }, 'registerBackendProvider: "x": capabilities.syncRead must be a boolean, got 1'],
      [{ name: 'x', kind: 'cpu', load, capabilities: { memory: 'host', syncRead: true, gpu: true } }, `registerBackendProvider: "x": capabilities.gpu is true but kind is 'cpu'`],
    ];
    const before = T.listBackendProviders();
    for (const [p, message] of bad) expect(() => T.registerBackendProvider(p as T.BackendProvider)).toThrow(message);
    expect(T.listBackendProviders()).toEqual(before);
  });

  it('watchBackends replays registered providers, then reports registrations and starts until stopped', async () => {
    const events: string[] = [];
    const stop = watchBackends((name, c) => events.push(`${name}:${c.memory}`));
    expect(events).toEqual(expect.arrayContaining(['cpu:host']));
    events.length = 0;
    T.registerBackendProvider({ name: 'watched', kind: 'cpu', capabilities: { memory: 'device', syncRead: false, gpu: false }, load });
    await T.setBackend('cpu');
    expect(events).toEqual(['watched:device', 'cpu:host']);
    stop();
    T.registerBackendProvider({ name: 'watched', kind: 'cpu', load });
    expect(events).toHaveLength(2);
    expect(() => watchBackends('no' as never)).toThrow('watchBackends: expects a function, got "no"');
  });
});
