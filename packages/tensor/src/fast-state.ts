// Whether neurona's fast kernels are on (set by fast-kernels.ts). A module of its own so that op
// files can ask without importing the kernels (which import the ops).
import * as tfc from '@tensorflow/tfjs-core';

const KEY = Symbol.for('@neurona/tensor/fast-kernels');

interface FastState {
  enabled: boolean;
  backends: string[];
}

function fastState(): FastState {
  const g = globalThis as unknown as Record<symbol, FastState | undefined>;
  return (g[KEY] ??= { enabled: false, backends: [] });
}

/** Record what `useFastKernels` turned on. */
export function setFastState(enabled: boolean, backends: string[]): void {
  const s = fastState();
  s.enabled = enabled;
  s.backends = backends;
}

/** Whether the current backend gets fast kernels now. */
export function fastKernelsActive(): boolean {
  const s = fastState();
  return s.enabled && s.backends.includes(tfc.getBackend());
}
