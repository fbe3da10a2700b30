// The README's contributed-optimizer example, kept working.
import { describe, expect, it } from 'vitest';
import { mul, sign, sub, tensor1d, variable, dispose } from '@neurona/tensor';
import type { Scalar, Tensor, Variable } from '@neurona/tensor';
import { BaseOptimizer, get, registerOptimizer, registry, type BaseOptimizerOptions, type Config } from '../src/index';

class SignSGDImpl extends BaseOptimizer {
  readonly className = 'SignSGD';
  constructor(options: BaseOptimizerOptions) {
    super('SignSGD', [], options, 0.01); // no per-variable state; default learning rate 0.01
  }
  protected updateStep(g: Tensor, v: Variable, _slots: Variable[], lr: Scalar): void {
    v.assign(sub(v, mul(sign(g), lr)));
  }
  protected optimizerConfig(): Config {
    return {};
  }
}
const SignSGD = (options: BaseOptimizerOptions = {}) => new SignSGDImpl(options);

describe('a contributed optimizer built on BaseOptimizer', () => {
  it('steps, clips, serializes and is found by name once registered', () => {
    registerOptimizer('SignSGD', (config) => SignSGD(config));
    try {
      const opt = get({ className: 'SignSGD', config: { learningRate: 0.5 } });
      const v = variable(tensor1d([1, -1, 0]));
      const g = tensor1d([3, -0.1, 0]);
      opt.applyGradients([[g, v]]);
      expect(Array.from(v.dataSync())).toEqual([0.5, -0.5, 0]);
      expect(opt.iterations).toBe(1);
      expect(get(opt.getConfig().name as string).className).toBe('SignSGD');
      expect(() => SignSGD({ learningRate: -1 })).toThrow('SignSGD: learningRate must be a finite number >= 0, got -1');
      dispose([v, g]);
      opt.dispose();
    } finally {
      registry.delete('SignSGD');
    }
  });
});

describe('the registry rules and helpers for contributed optimizers', () => {
  it('a name taken by another optimizer is an error unless override; package keys as Keras 3', async () => {
    const { defineOptimizer, SGD: sgd } = await import('../src/index');
    const mine = defineOptimizer('Twice', (o: BaseOptimizerOptions) => sgd(o));
    expect(registerOptimizer('Twice', mine.fromConfig)).toBe('Custom>Twice');
    try {
      expect(registerOptimizer('Twice', mine.fromConfig)).toBe('Custom>Twice');
      expect(() => registerOptimizer('Twice', (c) => sgd(c))).toThrow(
        'registerOptimizer: an optimizer named "Custom>Twice" is already registered; pass { override: true } to replace it',
      );
      expect(() => registerOptimizer('adam', (c) => sgd(c))).toThrow('registerOptimizer: "adam" is the name of a built-in optimizer ("Adam")');
      expect(registerOptimizer('Twice', mine.fromConfig, { package: 'lab' })).toBe('lab>Twice');
      expect(() => get('Twice')).toThrow('"Twice" names several registered optimizers (Custom>Twice, lab>Twice); use the full key');
      expect(get('lab>Twice').learningRate).toBe(0.01);
      expect(() => registerOptimizer('Bad', 42 as never)).toThrow('registerOptimizer: expected a function (config) => Optimizer for "Bad", got 42');
    } finally {
      registry.delete('Custom>Twice');
      registry.delete('lab>Twice');
    }
  });

  it('defineOptimizer gives the Keras calling forms and a fromConfig that restores schedules', async () => {
    const { defineOptimizer, SGD: sgd, ExponentialDecay } = await import('../src/index');
    const F = defineOptimizer('SGDAgain', (o: BaseOptimizerOptions) => sgd(o));
    expect(F.className).toBe('SGDAgain');
    expect(F().learningRate).toBe(0.01);
    expect(F(0.5).learningRate).toBe(0.5);
    expect(F({ learningRate: 0.25 }).learningRate).toBe(0.25);
    expect(() => F(0.1, { learningRate: 0.2 })).toThrow('SGDAgain: learningRate given twice');
    const sched = ExponentialDecay(0.1, 10, 0.5);
    const restored = F.fromConfig({ learningRate: { className: sched.className, config: sched.getConfig() } });
    expect(restored.learningRate).toBeCloseTo(0.1);
  });

  it('a BaseOptimizer subclass that names its extra keys gets unknown options refused', () => {
    class Mine extends BaseOptimizer {
      readonly className = 'Mine';
      constructor(o: BaseOptimizerOptions & { beta?: number }) {
        super('Mine', [], o, 0.1, ['beta']);
      }
      protected updateStep(): void {}
      protected optimizerConfig(): Config {
        return {};
      }
    }
    expect(() => new Mine({ beta: 1 })).not.toThrow();
    expect(() => new Mine({ beta_1: 1 } as never)).toThrow('Mine: unknown option "beta_1" (did you mean "beta"?). Known options: learningRate');
  });
});
