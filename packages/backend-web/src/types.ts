import type { BackendInfo } from '@neurona/tensor';

/** One backend that was considered, and why it was taken or skipped. */
export interface BackendAttempt {
  name: string;
  ok: boolean;
  reason: string;
}

/** What `useNodeBackend` / `useWebBackend` decided. */
export interface BackendChoice {
  /** The name that won (`'wasm'`, `'webgpu'`, `'tfjs-node-gpu'`, ...). */
  chosen: string;
  /** Every backend considered, in order, ending with the chosen one. */
  tried: BackendAttempt[];
  /** What `getBackendInfo()` of `@neurona/tensor` now reports. */
  info: BackendInfo;
}

/** A backend `selectBackend` can try. */
export interface Candidate {
  name: string;
  /**
   * Start it and make it current, or throw with the reason it cannot run. `explicit` is true
   * when the user named it (force or prefer): software GPU adapters are accepted only then.
   * Returns the backend info and a short description for the log line.
   */
  start(explicit: boolean): Promise<{ info: BackendInfo; summary: string }>;
}

/** How `selectBackend` should choose. */
export interface SelectOptions {
  /** Use exactly this backend or throw. */
  force?: string;
  /** Where `force` came from, for messages (`'NEURONA_BACKEND'`, `'the force option'`). */
  forcedBy?: string;
  /** Try this backend first, then the usual order. */
  prefer?: string;
}
