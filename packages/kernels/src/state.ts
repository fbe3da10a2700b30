// The package's state lives on globalThis: tfjs's kernel registry is global, so an ESM and a CJS
// copy of this package in one process must agree on what is on, share one GEMM engine (its
// memory and worker threads) and warn once.
import type { BackendMemory } from '@neurona/tensor/kernel-api';
import type { GemmEngine } from './gemm-engine';
import type { RawAccess } from './raw-data';

interface KernelsState {
  /** Whether `useFastKernels` turned the fast bodies on. */
  enabled: boolean;
  engine: GemmEngine | null;
  /** Every backend provider seen, with the memory it declared, in registration order. */
  backends: Map<string, BackendMemory>;
  /** Whether a copy of this package already watches the backend registry. */
  watching: boolean;
  /** The raw-memory probe's verdict per backend instance and declared memory. */
  probes: WeakMap<object, Partial<Record<BackendMemory, RawAccess | null>>>;
}

const KEY = Symbol.for('@neurona/kernels/state');

export function state(): KernelsState {
  const g = globalThis as unknown as Record<symbol, KernelsState | undefined>;
  return (g[KEY] ??= { enabled: false, engine: null, backends: new Map(), watching: false, probes: new WeakMap() });
}

/** Whether kernels that work on tensor memory in place can run on memory of this kind. */
export function isRawMemory(memory: BackendMemory | undefined): memory is 'host' | 'wasm-heap' {
  return memory === 'host' || memory === 'wasm-heap';
}
