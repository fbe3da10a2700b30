// Library-wide state lives on globalThis so that an ESM and a CJS copy of this package loaded
// in one process (the dual-package hazard) still share one seed and one backend registry.
import type { BackendProvider, BackendInfo, BackendWatcher } from './backend';

interface TensorState {
  seedState: number | null;
  /** The sequence random streams (`SeedGenerator`) take their seeds from; reset by `setSeed`. */
  streamState: number | null;
  /** Counts `setSeed`/`clearSeed` calls, so a stream can tell that the global seed changed since it was seeded. */
  seedEpoch: number;
  providers: Map<string, BackendProvider>;
  info: BackendInfo | null;
  watchers: Set<BackendWatcher>;
}

const KEY = Symbol.for('@neurona/tensor/state');

export function state(): TensorState {
  const g = globalThis as unknown as Record<symbol, TensorState | undefined>;
  return (g[KEY] ??= { seedState: null, streamState: null, seedEpoch: 0, providers: new Map(), info: null, watchers: new Set() });
}
