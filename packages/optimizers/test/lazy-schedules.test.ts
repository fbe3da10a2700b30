// The schedule registry is a seam for bundles: every optimizer imports schedules/schedule-io.ts
// (no schedule code), and the built-in schedules come with schedules/registry.ts, which get,
// deserialize and deserializeSchedule import. These tests load the modules as a bundle would see
// them (fresh module graph, only what is imported) to check both sides of the seam.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memory } from '@neurona/tensor';

const cosine = { className: 'CosineDecay', config: { initialLearningRate: 0.1, decaySteps: 100 } };

afterEach(() => {
  vi.resetModules();
});

describe('schedules without the registry (a bundle that builds its optimizer directly)', () => {
  it('an optimizer made with a schedule object works and serializes it, with no registry loaded', async () => {
    vi.resetModules();
    const { Adam } = await import('../src/adam');
    const { CosineDecay } = await import('../src/schedules/cosine-decay');
    const opt = Adam(CosineDecay(0.1, 100));
    expect(opt.getConfig().learningRate).toEqual({ className: 'CosineDecay', config: { initialLearningRate: 0.1, decaySteps: 100, alpha: 0, warmupTarget: null, warmupSteps: 0 } });
    opt.dispose();
  });

  it('fromConfig given a serialized schedule says the registry is not loaded, and makes nothing', async () => {
    vi.resetModules();
    const before = memory().numTensors;
    const { Adam } = await import('../src/adam');
    expect(() => Adam.fromConfig({ learningRate: cosine })).toThrow(
      'the learning rate is a serialized schedule ("CosineDecay") but this bundle has not loaded the schedule registry: restore the optimizer with get() or deserialize() of @neurona/optimizers',
    );
    expect(memory().numTensors).toBe(before);
    // a plain rate needs no registry
    const plain = Adam.fromConfig({ learningRate: 0.01 });
    expect(plain.learningRate).toBeCloseTo(0.01, 12);
    plain.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('once get/deserialize are imported, fromConfig restores serialized schedules too', async () => {
    vi.resetModules();
    const { Adam } = await import('../src/adam');
    const { deserialize } = await import('../src/registry');
    const viaGet = deserialize({ className: 'Adam', config: { learningRate: cosine } });
    const direct = Adam.fromConfig({ learningRate: cosine });
    for (const o of [viaGet, direct]) {
      expect(o.className).toBe('Adam');
      expect((o.getConfig().learningRate as { className: string }).className).toBe('CosineDecay');
      expect(o.learningRate).toBeCloseTo(0.1, 12);
      o.dispose();
    }
  });
});
