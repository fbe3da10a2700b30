// The Engine around a compiled plan, cpu/wasm or WebGPU: the same keys, kind and disposal order.
import type { Engine, Pass } from '../engine';
import type { PlanSpec } from './analyze';

/**
 * An engine whose training passes come from `trainPass` and report `metrics` (the spec's, in its
 * order); `test` gives the evaluation passes. Disposing frees the plans, then `test`, even when
 * freeing the plans throws.
 */
export function planEngine(trainPass: () => Pass, plans: { dispose(): void }, metrics: PlanSpec['metrics'], test: Engine, describe?: string): Engine {
  return {
    keys: ['loss', ...metrics.map((m) => m.key)],
    kind: 'compiled',
    describe,
    trainPass,
    testPass: () => test.testPass(),
    dispose: () => {
      try {
        plans.dispose();
      } finally {
        test.dispose();
      }
    },
  };
}
