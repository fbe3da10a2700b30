// The README's first example, kept working.
import { expect, it } from 'vitest';
import { variable, tensor1d, tidy, sub, mul, dispose } from '@neurona/tensor';
import { SGD, ExponentialDecay, get } from '../src/index';

it('README example converges', () => {
  const w = variable(tensor1d([0]));
  const opt = SGD(ExponentialDecay(0.1, 10, 0.9), { momentum: 0.5, clipNorm: 1 });
  for (let step = 0; step < 100; step++) {
    const grad = tidy(() => mul(sub(w, 3), 2));
    opt.applyGradients([[grad, w]]);
    dispose(grad);
  }
  expect(w.dataSync()[0]).toBeCloseTo(3, 2);
  expect(opt.iterations).toBe(100);
  expect(opt.learningRate).toBeCloseTo(0.1 * 0.9 ** 10, 10);
  const adam = get('adam');
  expect(adam.learningRate).toBe(0.001);
  opt.dispose();
  adam.dispose();
  w.dispose();
});
