// The training engine of a compiled plan: fit's passes run `DensePlan.step` per batch and keep the
// loss sum in JavaScript (no tensor per step); evaluation passes are the fused steps' (they read
// the variables, which the plan brings up to date first).
import { stack, scalar, tidy } from '@neurona/tensor';
import type { Logs } from '../callbacks/types';
import type { BoundCompile } from '../compile';
import type { Engine, Pass } from '../engine';
import type { BatchIndices, DataArrays } from '../step';
import type { DensePlan } from './dense-plan';

class CompiledPass implements Pass {
  private sum = 0;
  private count = 0;
  constructor(
    private readonly plan: DensePlan,
    private readonly bound: BoundCompile,
  ) {}

  step(data: DataArrays, indices: BatchIndices): void {
    const r = this.plan.step(data, indices);
    this.sum += r.lossSum;
    this.count += r.size;
  }

  flush(): void {
    this.plan.flushWeights();
  }

  read(): Promise<Logs> {
    return Promise.resolve({ loss: this.sum / Math.max(this.count, 1) });
  }

  async finish(): Promise<Logs> {
    const logs = await this.read();
    this.plan.flushWeights();
    this.plan.flushState();
    // the loss tracker reports this pass, as after the fused steps
    const t = this.bound.lossTracker;
    t.resetState();
    if (this.count > 0) tidy(() => t.mergeState(stack([scalar(this.sum), scalar(this.count)])));
    return logs;
  }

  dispose(): void {
    this.plan.flushWeights();
  }
}

/** An engine whose training passes run `plan`; `test` gives the evaluation passes. */
export function compiledEngine(plan: DensePlan, bound: BoundCompile, test: Engine): Engine {
  return {
    keys: ['loss'],
    kind: 'compiled',
    trainPass: () => new CompiledPass(plan, bound),
    testPass: () => test.testPass(),
    dispose: () => {
      try {
        plan.dispose();
      } finally {
        test.dispose();
      }
    },
  };
}
