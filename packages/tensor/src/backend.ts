import * as tfc from '@tensorflow/tfjs-core';
import { state } from './state';

export type BackendKind = 'gpu' | 'cpu';

/** What runs the tensors now. */
export interface BackendInfo {
  name: string;
  kind: BackendKind;
  details: Record<string, unknown>;
}

/**
 * Something that can start a tfjs backend. `load` registers it with tfjs (if not yet done) and
 * returns details worth showing (adapter, SIMD, ...); it throws with the reason when it cannot.
 */
export interface BackendProvider {
  name: string;
  kind: BackendKind;
  load: () => Promise<Record<string, unknown>>;
}

/** Make a backend available by name to `setBackend`. A later registration of a name replaces it. */
export function registerBackendProvider(provider: BackendProvider): void {
  state().providers.set(provider.name, provider);
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
  const info: BackendInfo = { name, kind: provider.kind, details };
  state().info = info;
  return info;
}

/** The backend in use: `{ name, kind, details }`. */
export function getBackendInfo(): BackendInfo {
  const s = state();
  const current = tfc.getBackend();
  if (s.info && s.info.name === current) return s.info;
  const provider = s.providers.get(current);
  return { name: current, kind: provider?.kind ?? 'cpu', details: {} };
}

/**
 * Register `provider` and make it the current backend (what both backend packages do for each
 * candidate). tfjs reports a backend that fails to initialize only through console.warn, so
 * those lines are captured into the thrown reason (and printed as usual when it does start).
 */
export async function startBackendProvider(provider: BackendProvider): Promise<BackendInfo> {
  registerBackendProvider(provider);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  };
  let info: BackendInfo;
  try {
    info = await setBackend(provider.name);
  } catch (err) {
    const detail = warnings.filter((w) => !w.startsWith('Initialization of backend')).join(' ').split('\n')[0];
    throw new Error(`${(err as Error).message}${detail ? `: ${detail}` : ''}`, { cause: err });
  } finally {
    console.warn = warn;
  }
  for (const w of warnings) console.warn(w);
  return info;
}
