// The WebAssembly gate passes of the time loop (recurrent-wasm.ts, units a multiple of 8) give the
// portable bodies' values and gradients, and the JS loops' they replace, on cpu and wasm, for the
// LSTM, the GRU (with and without a recurrent bias) and SimpleRNN, with masks, goBackwards, a batch
// that is not a multiple of 4 and each fusable activation; they did run (products on the engine's
// regions, none through matmul); nothing leaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { RecurrentActivation, RecurrentCell, Tensor } from '@neurona/tensor';
import { useFastKernels } from '../src/index';
import { state } from '../src/state';
import { recurrentWasm, recurrentWasmLoaded } from '../src/recurrent-kernels';

function maxRelErr(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i] - y[i]) / (1 + Math.abs(y[i])));
  return e;
}

interface Case {
  cell?: RecurrentCell;
  /** A GRU's recurrent bias. */
  rb?: boolean;
  batch: number;
  steps: number;
  units: number;
  masked: boolean;
  goBackwards: boolean;
  activation?: RecurrentActivation;
  recurrentActivation?: RecurrentActivation;
}

const GATES: Record<RecurrentCell, number> = { lstm: 4, gru: 3, simple: 1 };

/** Value and gradients of Σ h·probe (+ ½Σ c) for every input of the op. */
function run(k: Case): Tensor[] {
  return T.tidy(() => {
    const { batch, steps, units } = k;
    const cell = k.cell ?? 'lstm';
    const g = GATES[cell];
    const xw = T.randomUniform([batch, steps, g * units], -1.5, 1.5, 'float32', 1);
    const u = T.randomUniform([units, g * units], -0.4, 0.4, 'float32', 2);
    const h0 = T.randomUniform([batch, units], -0.5, 0.5, 'float32', 3);
    const c0 = T.randomUniform([batch, units], -0.5, 0.5, 'float32', 4);
    const rb = k.rb ? T.randomUniform([g * units], -0.5, 0.5, 'float32', 5) : null;
    const mask = k.masked ? T.cast(T.greater(T.randomUniform([batch, steps], 0, 1, 'float32', 6), 0.3), 'float32') : undefined;
    const probe = T.randomNormal([batch, steps, units], 0, 1, 'float32', 7);
    const args = [xw, u, h0, ...(cell === 'lstm' ? [c0] : []), ...(rb ? [rb] : [])];
    const f = (...xs: Tensor[]) => {
      const r = T.recurrentSequence(cell, xs[0], xs[1], cell === 'lstm' ? [xs[2], xs[3]] : [xs[2]], {
        mask,
        goBackwards: k.goBackwards,
        activation: k.activation,
        recurrentActivation: k.recurrentActivation,
        recurrentBias: rb ? xs[xs.length - 1] : undefined,
      });
      return T.add(T.sum(T.mul(r.h, probe)), r.c ? T.sum(T.mul(r.c, 0.5)) : 0) as T.Scalar;
    };
    const { value, grads } = T.valueAndGrads(f)(args);
    return [value, ...grads];
  });
}

/** The wasm gate passes, the JS loops and the portable bodies; engine products counted for the first. */
function three(k: Case, threads = 2): { wasm: Tensor[]; js: Tensor[]; portable: Tensor[]; gemms: number; matmuls: number } {
  useFastKernels({ threads });
  const engine = state().engine;
  if (!engine) throw new Error('no engine');
  let gemms = 0;
  let matmuls = 0;
  const gemm = engine.gemm.bind(engine);
  const matmul = engine.matmul.bind(engine);
  engine.gemm = (g) => (gemms++, gemm(g));
  engine.matmul = (...a) => (matmuls++, matmul(...a));
  try {
    const wasm = run(k);
    engine.gemm = gemm;
    engine.matmul = matmul;
    recurrentWasm.enabled = false;
    const js = run(k);
    recurrentWasm.enabled = true;
    useFastKernels(false);
    const portable = run(k);
    return { wasm, js, portable, gemms, matmuls };
  } finally {
    engine.gemm = gemm;
    engine.matmul = matmul;
    recurrentWasm.enabled = true;
  }
}

const CASES: [string, Case][] = [
  ['plain', { batch: 5, steps: 7, units: 16, masked: false, goBackwards: false }],
  ['masked', { batch: 5, steps: 7, units: 16, masked: true, goBackwards: false }],
  ['masked, backwards', { batch: 6, steps: 5, units: 8, masked: true, goBackwards: true }],
  ['relu / hard_sigmoid', { batch: 3, steps: 6, units: 24, masked: true, goBackwards: false, activation: 'relu', recurrentActivation: 'hard_sigmoid' }],
  ['linear / tanh', { batch: 4, steps: 4, units: 8, masked: false, goBackwards: true, activation: 'linear', recurrentActivation: 'tanh' }],
  ['sigmoid / linear', { batch: 4, steps: 4, units: 8, masked: false, goBackwards: false, activation: 'sigmoid', recurrentActivation: 'linear' }],
  ['GRU with a recurrent bias', { cell: 'gru', rb: true, batch: 5, steps: 7, units: 16, masked: false, goBackwards: false }],
  ['GRU with a recurrent bias, masked, backwards', { cell: 'gru', rb: true, batch: 6, steps: 5, units: 8, masked: true, goBackwards: true }],
  ['GRU without a recurrent bias, masked, relu / hard_sigmoid', { cell: 'gru', batch: 3, steps: 6, units: 16, masked: true, goBackwards: false, activation: 'relu', recurrentActivation: 'hard_sigmoid' }],
  ['SimpleRNN', { cell: 'simple', batch: 5, steps: 7, units: 16, masked: false, goBackwards: false }],
  ['SimpleRNN masked, backwards, relu', { cell: 'simple', batch: 6, steps: 5, units: 8, masked: true, goBackwards: true, activation: 'relu' }],
  ['SimpleRNN sigmoid', { cell: 'simple', batch: 4, steps: 4, units: 24, masked: true, goBackwards: false, activation: 'sigmoid' }],
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`recurrent gate passes in WebAssembly on ${backend}`, () => {
    // the wasm loop's code loads on the first recurrent call (its own chunk for bundlers)
    beforeAll(() => recurrentWasmLoaded());
    afterAll(async () => {
      useFastKernels(false);
      await T.setBackend('cpu');
    });

    for (const [name, k] of CASES) {
      it(`${k.cell ?? 'lstm'} ${name}: = the JS loops and the portable bodies (value and every gradient)`, async () => {
        await T.setBackend(backend);
        const before = T.memory().numTensors;
        const { wasm, js, portable, gemms, matmuls } = three(k);
        // forward: one h·U per step; backward: one dz·Uᵀ per step, one Σ hᵀ·dz
        expect(gemms).toBe(2 * k.steps + 1);
        expect(matmuls).toBe(0);
        wasm.forEach((t, i) => expect(maxRelErr(t, js[i]), `output ${i} vs JS`).toBeLessThan(2e-5));
        wasm.forEach((t, i) => expect(maxRelErr(t, portable[i]), `output ${i} vs portable`).toBeLessThan(2e-5));
        T.dispose([...wasm, ...js, ...portable]);
        expect(T.memory().numTensors).toBe(before);
      });
    }

    it('on one thread (an unshared memory, the module declared unshared) too', async () => {
      await T.setBackend(backend);
      for (const cell of ['lstm', 'gru'] as const) {
        const k: Case = { cell, rb: cell === 'gru', batch: 5, steps: 6, units: 16, masked: true, goBackwards: false };
        const { wasm, js, portable, gemms } = three(k, 1);
        expect(state().engine?.threads).toBe(1);
        expect(gemms).toBe(2 * k.steps + 1);
        wasm.forEach((t, i) => expect(maxRelErr(t, portable[i]), `${cell} output ${i}`).toBeLessThan(2e-5));
        T.dispose([...wasm, ...js, ...portable]);
      }
    });

    it('units not a multiple of 8 keep the JS loops (no region products)', async () => {
      await T.setBackend(backend);
      const { wasm, js, portable, gemms, matmuls } = three({ batch: 3, steps: 4, units: 12, masked: false, goBackwards: false });
      expect(gemms).toBe(0);
      expect(matmuls).toBe(4 + 4 + 1);
      wasm.forEach((t, i) => expect(maxRelErr(t, portable[i])).toBeLessThan(2e-5));
      T.dispose([...wasm, ...js, ...portable]);
    });
  });
}
