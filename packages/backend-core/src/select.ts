// The selection rule shared by @neurona/backend-node and @neurona/backend-web: one copy here,
// since neither backend package may depend on the other.
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

/** Thrown when a forced backend is unknown or cannot start; `tried` holds what was attempted. */
export class BackendSelectionError extends Error {
  readonly tried: BackendAttempt[];
  constructor(message: string, tried: BackendAttempt[]) {
    super(message);
    this.name = 'BackendSelectionError';
    this.tried = tried;
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

function find(candidates: Candidate[], name: string, what: string): Candidate {
  const c = candidates.find((x) => x.name === name);
  if (!c) {
    throw new BackendSelectionError(
      `Unknown backend "${name}" (${what}). Known backends: ${candidates.map((x) => x.name).join(', ')}`,
      [],
    );
  }
  return c;
}

/**
 * Pick a backend: a forced one or nothing (never a silent fallback), else the preferred one
 * first and then the candidates in order, keeping why each earlier one was skipped.
 */
export async function selectBackend(candidates: Candidate[], options: SelectOptions = {}): Promise<BackendChoice> {
  const tried: BackendAttempt[] = [];
  if (options.force) {
    const forcedBy = options.forcedBy ?? 'the force option';
    const c = find(candidates, options.force, `forced by ${forcedBy}`);
    try {
      const { info, summary } = await c.start(true);
      tried.push({ name: c.name, ok: true, reason: `forced by ${forcedBy}${summary ? `; ${summary}` : ''}` });
      return { chosen: c.name, tried, info };
    } catch (err) {
      const reason = reasonOf(err);
      tried.push({ name: c.name, ok: false, reason });
      throw new BackendSelectionError(`Backend "${c.name}" was forced by ${forcedBy} but cannot start: ${reason}`, tried);
    }
  }

  let order = candidates;
  if (options.prefer) {
    const p = find(candidates, options.prefer, 'the prefer option');
    order = [p, ...candidates.filter((c) => c !== p)];
  }
  for (const c of order) {
    const explicit = c.name === options.prefer;
    try {
      const { info, summary } = await c.start(explicit);
      tried.push({ name: c.name, ok: true, reason: [explicit ? 'preferred' : '', summary].filter(Boolean).join('; ') || 'started' });
      return { chosen: c.name, tried, info };
    } catch (err) {
      tried.push({ name: c.name, ok: false, reason: reasonOf(err) });
    }
  }
  throw new BackendSelectionError(
    `No backend could start: ${tried.map((t) => `${t.name}: ${t.reason}`).join('; ')}`,
    tried,
  );
}

/** The one-line log: `neurona backend: wasm (SIMD) | skipped tfjs-node-gpu: not installed; ...` */
export function formatChoice(choice: BackendChoice): string {
  const won = choice.tried.find((t) => t.ok);
  const skipped = choice.tried.filter((t) => !t.ok).map((t) => `${t.name}: ${t.reason}`);
  return `neurona backend: ${choice.chosen}${won?.reason ? ` (${won.reason})` : ''}` + (skipped.length ? ` | skipped ${skipped.join('; ')}` : '');
}
