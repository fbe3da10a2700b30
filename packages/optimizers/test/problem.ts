// The quadratic of reference/make_reference.py: f(w, u) = 0.5 wᵀAw - bᵀw + 2 (u - 1)².
import { dispose, matMul, mul, reshape, sub, tensor1d, tensor2d, tidy, variable } from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
import type { Optimizer } from '../src/index';

export const W0 = [1, 2];
export const U0 = [-1.5];

export interface Problem {
  w: Variable;
  u: Variable;
  /** One optimizer step on the analytic gradient. */
  step(opt: Optimizer): void;
  dispose(): void;
}

export function makeProblem(w0 = W0, u0 = U0): Problem {
  const A = tensor2d([
    [3, 0.5],
    [0.5, 1],
  ]);
  const b = tensor1d([1, -2]);
  const w = variable(tensor1d(w0));
  const u = variable(tensor1d(u0));
  return {
    w,
    u,
    step(opt) {
      const gs = tidy((): Tensor[] => [
        sub(reshape(matMul(A, reshape(w, [2, 1])), [2]), b),
        mul(sub(u, 1), 4),
      ]);
      opt.applyGradients([
        [gs[0], w],
        [gs[1], u],
      ]);
      dispose(gs);
    },
    dispose() {
      dispose([A, b, w, u]);
    },
  };
}

/** Run `steps` steps and record w and u after each. */
export function trajectory(opt: Optimizer, steps = 10): { w: number[][]; u: number[][] } {
  const p = makeProblem();
  const out = { w: [] as number[][], u: [] as number[][] };
  for (let i = 0; i < steps; i++) {
    p.step(opt);
    out.w.push(Array.from(p.w.dataSync()));
    out.u.push(Array.from(p.u.dataSync()));
  }
  p.dispose();
  return out;
}

/** Assert two trajectories agree within float32 tolerance (abs + rel). */
export function expectClose(actual: number[][], expected: number[][], label: string, tol = 2e-5): void {
  if (actual.length !== expected.length) throw new Error(`${label}: ${actual.length} steps, expected ${expected.length}`);
  actual.forEach((row, i) =>
    row.forEach((x, j) => {
      const e = expected[i][j];
      if (!(Math.abs(x - e) <= tol * (1 + Math.abs(e)))) {
        throw new Error(`${label}: step ${i + 1} element ${j} is ${x}, expected ${e}`);
      }
    }),
  );
}
