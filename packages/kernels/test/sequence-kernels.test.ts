// The fast bodies of the sequence ops (the recurrent time loop and its gradient, the embedding
// lookup and its gradient) give the portable bodies' values, on cpu ('host') and wasm
// ('wasm-heap'), for every cell, with masks, backwards, and odd sizes; and they did run (a
// counter on the engine's products).
import { afterAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { RecurrentCell, Tensor } from '@neurona/tensor';
import { useFastKernels } from '../src/index';
import { state } from '../src/state';

function maxRelErr(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i] - y[i]) / (1 + Math.abs(y[i])));
  return e;
}

/** Values (and gradients) with fast kernels on, then off; and how many GEMMs the fast run made. */
function both(f: () => Tensor[]): { fast: Tensor[]; plain: Tensor[]; products: number } {
  useFastKernels({ threads: 2 });
  const engine = state().engine;
  let products = 0;
  const original = engine?.matmul.bind(engine);
  if (engine && original) engine.matmul = (...args) => (products++, original(...args));
  try {
    const fast = f();
    useFastKernels(false);
    const plain = f();
    return { fast, plain, products };
  } finally {
    if (engine && original) engine.matmul = original;
  }
}

const GATES: Record<RecurrentCell, number> = { lstm: 4, gru: 3, simple: 1 };

function run(cell: RecurrentCell, batch: number, steps: number, units: number, masked: boolean, goBackwards: boolean): () => Tensor[] {
  return () =>
    T.tidy(() => {
      const g = GATES[cell];
      const xw = T.randomUniform([batch, steps, g * units], -1, 1, 'float32', 1);
      const u = T.randomUniform([units, g * units], -0.6, 0.6, 'float32', 2);
      const h0 = T.randomUniform([batch, units], -0.5, 0.5, 'float32', 3);
      const c0 = T.randomUniform([batch, units], -0.5, 0.5, 'float32', 4);
      const rb = cell === 'gru' ? T.randomUniform([g * units], -0.5, 0.5, 'float32', 5) : undefined;
      const mask = masked ? T.cast(T.greater(T.randomUniform([batch, steps], 0, 1, 'float32', 6), 0.3), 'float32') : undefined;
      const probe = T.randomNormal([batch, steps, units], 0, 1, 'float32', 7);
      const args = [xw, u, h0, ...(cell === 'lstm' ? [c0] : []), ...(rb ? [rb] : [])];
      const f = (...xs: Tensor[]) => {
        const r = T.recurrentSequence(cell, xs[0], xs[1], cell === 'lstm' ? [xs[2], xs[3]] : [xs[2]], {
          mask,
          goBackwards,
          recurrentBias: rb ? xs[xs.length - 1] : undefined,
        });
        return T.add(T.sum(T.mul(r.h, probe)), r.c ? T.sum(T.mul(r.c, 0.5)) : 0) as T.Scalar;
      };
      const { value, grads } = T.valueAndGrads(f)(args);
      return [value, ...grads];
    });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`sequence kernels on ${backend}`, () => {
    afterAll(async () => {
      useFastKernels(false);
      await T.setBackend('cpu');
    });

    for (const cell of ['lstm', 'gru', 'simple'] as const) {
      for (const [masked, back] of [
        [false, false],
        [true, false],
        [true, true],
      ] as const) {
        it(`${cell}${masked ? ' masked' : ''}${back ? ' backwards' : ''}: fast = portable (values and every gradient)`, async () => {
          await T.setBackend(backend);
          const { fast, plain, products } = both(run(cell, 5, 7, 9, masked, back));
          // forward: one product per step; backward: one per step and one for the kernel
          expect(products).toBe(7 + 7 + 1);
          fast.forEach((t, i) => expect(maxRelErr(t, plain[i]), `output ${i}`).toBeLessThan(2e-5));
          T.dispose([...fast, ...plain]);
        });
      }
    }

    it('a larger LSTM (threaded products) agrees too', async () => {
      await T.setBackend(backend);
      const { fast, plain } = both(run('lstm', 64, 4, 128, true, false));
      fast.forEach((t, i) => expect(maxRelErr(t, plain[i]), `output ${i}`).toBeLessThan(1e-4));
      T.dispose([...fast, ...plain]);
    });

    it('a weight gradient over many rows (the product cut along K) = the portable product', async () => {
      await T.setBackend(backend);
      const f = () => T.tidy(() => [T.matMulT(T.randomUniform([3001, 70], -1, 1, 'float32', 1), T.randomUniform([3001, 515], -1, 1, 'float32', 2), true, false)]);
      const { fast, plain } = both(f);
      expect(maxRelErr(fast[0], plain[0])).toBeLessThan(1e-4);
      T.dispose([...fast, ...plain]);
    });

    it('embedding lookup and its gradient: fast = portable', async () => {
      await T.setBackend(backend);
      const f = () =>
        T.tidy(() => {
          const table = T.randomUniform([7, 5], -1, 1, 'float32', 1);
          const ids = T.tensor2d([[1, 6, 1], [0, 1, 3]], [2, 3], 'int32');
          const probe = T.randomNormal([2, 3, 5], 0, 1, 'float32', 2);
          const { value, grads } = T.valueAndGrads((t: Tensor) => T.sum(T.mul(T.embeddingLookup(t, ids), probe)))([table]);
          return [value, grads[0]];
        });
      const { fast, plain } = both(f);
      fast.forEach((t, i) => expect(maxRelErr(t, plain[i])).toBeLessThan(1e-6));
      T.dispose([...fast, ...plain]);
    });
  });
}
