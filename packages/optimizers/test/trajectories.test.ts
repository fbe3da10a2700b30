import { describe, it } from 'vitest';
import { Adagrad, Adam, AdamW, ExponentialDecay, RMSprop, SGD, type Optimizer } from '../src/index';
import { expectClose, trajectory } from './problem';
import { KERAS, TORCH } from './reference-data';

// Each reference case of make_reference.py and the optimizer that should reproduce it.
const CASES: Record<string, () => Optimizer> = {
  sgd: () => SGD(0.1),
  sgd_momentum: () => SGD(0.1, { momentum: 0.9 }),
  sgd_nesterov: () => SGD(0.1, { momentum: 0.9, nesterov: true }),
  sgd_clipnorm: () => SGD(0.1, { clipNorm: 1 }),
  sgd_clipvalue: () => SGD(0.1, { clipValue: 0.5 }),
  sgd_global_clipnorm: () => SGD(0.1, { globalClipNorm: 1 }),
  sgd_weight_decay: () => SGD(0.1, { momentum: 0.5, weightDecay: 0.2 }),
  sgd_exponential_decay: () => SGD(ExponentialDecay(0.2, 3, 0.5, true)),
  adam: () => Adam(0.1),
  adam_amsgrad: () => Adam(0.1, { amsgrad: true }),
  adam_betas: () => Adam({ learningRate: 0.05, beta1: 0.5, beta2: 0.9, epsilon: 1e-3 }),
  adamw: () => AdamW(0.1, { weightDecay: 0.1 }),
  rmsprop: () => RMSprop(0.05),
  rmsprop_momentum: () => RMSprop(0.05, { momentum: 0.9 }),
  rmsprop_centered: () => RMSprop(0.05, { centered: true }),
  rmsprop_centered_momentum: () => RMSprop(0.05, { momentum: 0.5, centered: true }),
  adagrad: () => Adagrad(0.5),
  adagrad_zero_init: () => Adagrad(0.5, { initialAccumulatorValue: 0 }),
};

describe('10-step trajectories on a quadratic, against the Keras update rule (numpy float64)', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(name, () => {
      const opt = make();
      const got = trajectory(opt);
      opt.dispose();
      expectClose(got.w, KERAS[name].w, `${name} w`);
      expectClose(got.u, KERAS[name].u, `${name} u`);
    });
  }

  it('covers every reference case', () => {
    const missing = Object.keys(KERAS).filter((k) => !(k in CASES));
    if (missing.length) throw new Error(`no optimizer for reference cases ${missing.join(', ')}`);
  });
});

describe('against torch.optim where its rule coincides with Keras', () => {
  for (const name of Object.keys(TORCH)) {
    it(name, () => {
      const opt = CASES[name]();
      const got = trajectory(opt);
      opt.dispose();
      expectClose(got.w, TORCH[name].w, `${name} w`);
      expectClose(got.u, TORCH[name].u, `${name} u`);
    });
  }
});
