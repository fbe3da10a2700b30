// What a backend can do, as the backend declares it. Kernels and models decide on this, never on
// a backend's name: a new backend (or a renamed one) works by declaring what it is.

/**
 * Where a backend keeps tensor memory, which decides whether kernels written in JavaScript may
 * read and write it in place:
 * - `'host'`: one JavaScript typed array per tensor (tfjs's `cpu`): yes;
 * - `'wasm-heap'`: a region of the backend's WebAssembly memory (tfjs's `wasm`): yes;
 * - `'device'`: GPU memory (`webgpu`, `webgl`, tfjs-node-gpu): no, reads are copies;
 * - `'opaque'`: memory of a native library (tfjs-node's libtensorflow), or not declared: no.
 */
export type BackendMemory = 'host' | 'wasm-heap' | 'device' | 'opaque';

/** What a backend can do; kernels and models decide on this, never on the backend's name. */
export interface BackendCapabilities {
  /** Where tensor memory lives (see `BackendMemory`). */
  memory: BackendMemory;
  /**
   * Synchronous reads (`dataSync()`, `arraySync()`) work and are cheap enough for library code
   * to use on its own initiative (predict's NaN scan). False for WebGPU: in Node they throw, in
   * browsers they stall the GPU queue and tfjs warns. Users read with `await t.data()` there.
   */
  syncRead: boolean;
  /** Runs on a GPU (the same as the provider's `kind: 'gpu'`). */
  gpu: boolean;
}

const MEMORY: readonly BackendMemory[] = ['host', 'wasm-heap', 'device', 'opaque'];

/**
 * What a provider that declares nothing is taken to offer: no in-place memory access (so no
 * fast kernels), synchronous reads (as before capabilities existed), `gpu` from its kind.
 */
export function defaultCapabilities(kind: 'gpu' | 'cpu'): BackendCapabilities {
  return { memory: 'opaque', syncRead: true, gpu: kind === 'gpu' };
}

/** Why `c` is not a valid capability description for a provider of `kind`, or null when it is. */
export function capabilitiesProblem(c: unknown, kind: 'gpu' | 'cpu'): string | null {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return `capabilities must be an object { memory, syncRead, gpu }, got ${c === null ? 'null' : Array.isArray(c) ? 'an array' : typeof c}`;
  const o = c as Record<string, unknown>;
  if (!MEMORY.includes(o.memory as BackendMemory)) return `capabilities.memory must be one of ${MEMORY.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(o.memory)}`;
  if (typeof o.syncRead !== 'boolean') return `capabilities.syncRead must be a boolean, got ${JSON.stringify(o.syncRead)}`;
  if (typeof o.gpu !== 'boolean') return `capabilities.gpu must be a boolean, got ${JSON.stringify(o.gpu)}`;
  if (o.gpu !== (kind === 'gpu')) return `capabilities.gpu is ${o.gpu} but kind is '${kind}'`;
  return null;
}
