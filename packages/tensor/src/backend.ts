import * as tfc from '@tensorflow/tfjs-core';
import { state } from './state';
import { capabilitiesProblem, defaultCapabilities, type BackendCapabilities } from './capabilities';

/** Whether a backend runs on a GPU or a CPU. */
export type BackendKind = 'gpu' | 'cpu';

/** What runs the tensors now. */
export interface BackendInfo {
  name: string;
  kind: BackendKind;
  /** What the backend declared it can do (defaults for a provider that declared nothing). */
  capabilities: BackendCapabilities;
  details: Record<string, unknown>;
}

/**
 * Something that can start a tfjs backend. `load` registers it with tfjs (if not yet done) and
 * returns details worth showing (adapter, SIMD, ...); it throws with the reason when it cannot.
 * `capabilities` says what the backend can do (kernels and models decide on it); without it the
 * backend gets `{ memory: 'opaque', syncRead: true, gpu: kind === 'gpu' }`.
 */
export interface BackendProvider {
  name: string;
  kind: BackendKind;
  capabilities?: BackendCapabilities;
  load: () => Promise<Record<string, unknown>>;
}

function describe(x: unknown): string {
  return x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x === 'string' ? JSON.stringify(x) : typeof x;
}

function check(provider: BackendProvider): BackendCapabilities {
  const p = provider as unknown as Record<string, unknown> | null;
  const where = 'registerBackendProvider';
  if (typeof p !== 'object' || p === null) throw new Error(`${where}: expects { name, kind, capabilities?, load }, got ${describe(p)}`);
  if (typeof p.name !== 'string' || p.name === '') throw new Error(`${where}: name must be a non-empty string, got ${describe(p.name)}`);
  if (p.kind !== 'gpu' && p.kind !== 'cpu') throw new Error(`${where}: kind of "${p.name}" must be 'gpu' or 'cpu', got ${describe(p.kind)}`);
  if (typeof p.load !== 'function') throw new Error(`${where}: load of "${p.name}" must be a function, got ${describe(p.load)}`);
  if (p.capabilities === undefined) return defaultCapabilities(p.kind);
  const problem = capabilitiesProblem(p.capabilities, p.kind);
  if (problem) throw new Error(`${where}: "${p.name}": ${problem}`);
  const c = p.capabilities as BackendCapabilities;
  return { memory: c.memory, syncRead: c.syncRead, gpu: c.gpu };
}

function notify(name: string, capabilities: BackendCapabilities): void {
  for (const w of state().watchers) w(name, { ...capabilities });
}

/**
 * Make a backend available by name to `setBackend`. A later registration of a name replaces it.
 * Throws when the provider is malformed (says which field and what it got).
 */
export function registerBackendProvider(provider: BackendProvider): void {
  const capabilities = check(provider);
  const s = state();
  s.providers.set(provider.name, { ...provider, capabilities });
  // the running backend now reports what its new provider declares
  if (s.info?.name === provider.name) s.info = { ...s.info, kind: provider.kind, capabilities };
  notify(provider.name, capabilities);
}

/** Names of the registered providers, in registration order. */
export function listBackendProviders(): string[] {
  return [...state().providers.keys()];
}

/** Start the named backend and make it current; throws with the reason when it cannot start. */
export async function setBackend(name: string): Promise<BackendInfo> {
  const provider = state().providers.get(name);
  if (!provider) {
    throw new Error(
      `Unknown backend "${name}": registered providers are [${listBackendProviders().join(', ')}]. ` +
        `Import @neurona/backend-node or @neurona/backend-web to register them.`,
    );
  }
  const details = await provider.load();
  const ok = await tfc.setBackend(name);
  if (!ok) throw new Error(`Backend "${name}" was registered but failed to initialize`);
  await tfc.ready();
  const capabilities = provider.capabilities ?? defaultCapabilities(provider.kind);
  const info: BackendInfo = { name, kind: provider.kind, capabilities, details };
  state().info = info;
  // Its tfjs kernels exist now: watchers (kernel packages) may replace some.
  notify(name, capabilities);
  return { ...info, capabilities: { ...capabilities } };
}

/** The backend in use: `{ name, kind, capabilities, details }`. */
export function getBackendInfo(): BackendInfo {
  const s = state();
  const current = tfc.getBackend();
  if (s.info && s.info.name === current) return { ...s.info, capabilities: { ...s.info.capabilities } };
  const provider = s.providers.get(current);
  const kind = provider?.kind ?? 'cpu';
  return { name: current, kind, capabilities: { ...(provider?.capabilities ?? defaultCapabilities(kind)) }, details: {} };
}

/** Called with a backend's name and capabilities; see `watchBackends`. */
export type BackendWatcher = (name: string, capabilities: BackendCapabilities) => void;

/**
 * Call `watcher(name, capabilities)` now for every registered provider, and again whenever a
 * provider is registered (or replaced) and whenever `setBackend` starts one (its tfjs kernels
 * exist from then on). A backend may be reported several times: the watcher must be idempotent.
 * Returns a function that stops watching. For kernel packages (`@neurona/tensor/kernel-api`).
 */
export function watchBackends(watcher: BackendWatcher): () => void {
  if (typeof watcher !== 'function') throw new Error(`watchBackends: expects a function, got ${describe(watcher)}`);
  const s = state();
  s.watchers.add(watcher);
  for (const [name, p] of s.providers) watcher(name, { ...(p.capabilities ?? defaultCapabilities(p.kind)) });
  return () => {
    s.watchers.delete(watcher);
  };
}
