import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dispose, matMul, memory, mul, reshape, sub, tensor1d, tensor2d, tidy, variable } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { ExponentialDecay, deserialize, get, registry, serialize, type Optimizer } from '@neurona/optimizers';
import { Lion } from '../src/index';
import { LION, STEPS } from './reference-data';

// The quadratic of reference/make_reference.py: f(w, u) = 0.5 wᵀAw − bᵀw + 2 (u − 1)².
function trajectory(opt: Optimizer, steps = STEPS): { w: number[][]; u: number[][] } {
  const A = tensor2d([
    [3, 0.5],
    [0.5, 1],
  ]);
  const b = tensor1d([1, -2]);
  const w = variable(tensor1d([1, 2]));
  const u = variable(tensor1d([-1.5]));
  const out = { w: [] as number[][], u: [] as number[][] };
  for (let i = 0; i < steps; i++) {
    const gs = tidy((): Tensor[] => [sub(reshape(matMul(A, reshape(w, [2, 1])), [2]), b), mul(sub(u, 1), 4)]);
    opt.applyGradients([
      [gs[0], w],
      [gs[1], u],
    ]);
    dispose(gs);
    out.w.push(Array.from(w.dataSync()));
    out.u.push(Array.from(u.dataSync()));
  }
  dispose([A, b, w, u]);
  return out;
}

function expectClose(actual: number[][], expected: number[][], label: string, tol = 2e-5): void {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((row, i) =>
    row.forEach((x, j) => {
      const e = expected[i][j];
      if (!(Math.abs(x - e) <= tol * (1 + Math.abs(e)))) throw new Error(`${label}: step ${i + 1} element ${j} is ${x}, expected ${e}`);
    }),
  );
}

const CASES: Record<string, () => Optimizer> = {
  lion: () => Lion(0.1),
  lion_betas: () => Lion(0.05, { beta1: 0.5, beta2: 0.9 }),
  lion_weight_decay: () => Lion({ learningRate: 0.1, weightDecay: 0.5 }),
  lion_schedule: () => Lion(ExponentialDecay(0.2, 3, 0.5, true)),
};

describe('Lion against the numpy reference (float64, Chen et al. 2023 Algorithm 2)', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(`${STEPS}-step trajectory: ${name}`, () => {
      const opt = make();
      const got = trajectory(opt);
      opt.dispose();
      expectClose(got.w, LION[name].w, `${name} w`);
      expectClose(got.u, LION[name].u, `${name} u`);
    });
  }

  it('covers every reference case', () => {
    expect(new Set(Object.keys(CASES))).toEqual(new Set(Object.keys(LION)));
  });
});

describe('Lion as a contributed optimizer', () => {
  it('is registered on import under one name that every Keras spelling finds', () => {
    expect(registry.has('Lion')).toBe(true);
    for (const name of ['lion', 'Lion', 'LION']) {
      const opt = get(name);
      expect(opt.className).toBe('Lion');
      expect(opt.learningRate).toBeCloseTo(1e-4, 12);
      opt.dispose();
    }
  });

  it('has the paper defaults and a config that round-trips, schedules included', () => {
    const opt = Lion();
    expect(opt.getConfig()).toEqual({
      name: 'Lion',
      learningRate: 1e-4,
      weightDecay: null,
      clipNorm: null,
      clipValue: null,
      globalClipNorm: null,
      beta1: 0.9,
      beta2: 0.99,
    });
    const custom = Lion(ExponentialDecay(0.2, 3, 0.5), { beta1: 0.8, weightDecay: 0.01, clipNorm: 1 });
    const back = deserialize(serialize(custom));
    expect(back.getConfig()).toEqual(custom.getConfig());
    expect(back.learningRate).toBeCloseTo(0.2, 7);
    for (const o of [opt, custom, back]) o.dispose();
  });

  it('keeps one momentum slot per variable (getWeights/setWeights) and leaks nothing per step', () => {
    const a = Lion(0.1);
    trajectory(a, 3);
    const state = a.getWeights();
    expect(state.map((t) => t.shape)).toEqual([[], [2], [1]]);
    expect(state[0].dataSync()[0]).toBe(3);
    // a fresh Lion given that state continues exactly where the first one is
    const b = Lion(0.1);
    b.setWeights(state);
    dispose(state);
    expect(b.iterations).toBe(3);

    const w = variable(tensor1d([1, 2]));
    const g = tensor1d([0.5, -0.5]);
    a.applyGradients([[g, w]]); // warm up: slots and constants are created once
    const before = memory().numTensors;
    for (let i = 0; i < 5; i++) a.applyGradients([[g, w]]);
    expect(memory().numTensors).toBe(before);
    dispose([w, g]);
    a.dispose();
    b.dispose();
  });

  it('moves every weight by exactly lr per step (the sign update)', () => {
    const opt = Lion(0.25);
    const w = variable(tensor1d([0, 0, 0]));
    const g = tensor1d([1e-6, -300, 2]);
    opt.applyGradients([[g, w]]);
    expect(Array.from(w.dataSync())).toEqual([-0.25, 0.25, -0.25]);
    dispose([w, g]);
    opt.dispose();
  });

  it('rejects bad settings with what was expected and what was found', () => {
    expect(() => Lion({ beta1: 1.5 })).toThrow('Lion: beta1 must be a number in [0, 1], got 1.5');
    expect(() => Lion({ beta2: -0.1 })).toThrow('Lion: beta2 must be a number in [0, 1], got -0.1');
    expect(() => Lion(-1)).toThrow('Lion: learningRate must be a finite number >= 0, got -1');
    expect(() => Lion({ beta_1: 0.9 } as never)).toThrow('Lion: unknown option "beta_1"');
    expect(() => Lion(0.1, { learningRate: 0.2 })).toThrow('learningRate given twice');
  });
});

describe('package boundaries', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');

  it('depends only on @neurona/tensor and @neurona/optimizers', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(new Set(Object.keys(pkg.dependencies ?? {}))).toEqual(new Set(['@neurona/optimizers', '@neurona/tensor']));
    for (const file of readdirSync(join(root, 'src'))) {
      const text = readFileSync(join(root, 'src', file), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]).filter((s) => !s.startsWith('.'));
      for (const spec of imports) expect(['@neurona/tensor', '@neurona/optimizers']).toContain(spec);
    }
  });
});
