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
