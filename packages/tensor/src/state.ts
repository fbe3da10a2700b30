// Library-wide state lives on globalThis so that an ESM and a CJS copy of this package loaded
// in one process (the dual-package hazard) still share one seed and one backend registry.
import type { BackendProvider, BackendInfo } from './backend';

interface TensorState {
  seedState: number | null;
  providers: Map<string, BackendProvider>;
  info: BackendInfo | null;
}

const KEY = Symbol.for('@neurona/tensor/state');

export function state(): TensorState {
  const g = globalThis as unknown as Record<symbol, TensorState | undefined>;
  let s = g[KEY];
  if (!s) {
    s = { seedState: null, providers: new Map(), info: null };
    g[KEY] = s;
  }
  return s;
}
