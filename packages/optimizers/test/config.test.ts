import { describe, expect, it } from 'vitest';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineDecay,
  RMSprop,
  SGD,
  deserialize,
  get,
  registerOptimizer,
  registry,
  serialize,
  type Optimizer,
} from '../src/index';
import { expectClose, trajectory } from './problem';

describe('get', () => {
  it('makes fresh instances with Keras defaults from names in any Keras or camelCase spelling', () => {
    const sgd = get('sgd');
    expect(sgd.className).toBe('SGD');
    expect(sgd.learningRate).toBe(0.01);
    expect(get('SGD')).not.toBe(sgd);
    expect(get('adam').learningRate).toBe(0.001);
    expect(get('Adam').className).toBe('Adam');
    expect(get('adamw').className).toBe('AdamW');
    expect(get('rmsprop').className).toBe('RMSprop');
    expect(get('RMSprop').className).toBe('RMSprop');
    expect(get('adagrad').className).toBe('Adagrad');
  });

  it('returns an optimizer as is, and builds one from { className, config }', () => {
    const opt = SGD(0.3);
    expect(get(opt)).toBe(opt);
    const built = get({ className: 'SGD', config: { learningRate: 0.2, momentum: 0.5 } });
    expect(built.learningRate).toBe(0.2);
    expect(built.getConfig().momentum).toBe(0.5);
  });

  it('names the known optimizers for an unknown name', () => {
    expect(() => get('adamax')).toThrow('Unknown optimizer "adamax". Known optimizers: SGD, Adam, AdamW, RMSprop, Adagrad');
  });
});

// a "contributed" optimizer: plain SGD under another name
const SignSGD = (config: Record<string, unknown> = {}): Optimizer => {
  const inner = SGD(config);
  return Object.assign(Object.create(inner) as Optimizer, { className: 'SignSGD' });
};

describe('registerOptimizer', () => {
  it('makes a contributed optimizer available by name in one call', () => {
    registerOptimizer('SignSGD', SignSGD);
    try {
      expect(get('SignSGD').className).toBe('SignSGD');
      expect(get('sign_sgd').className).toBe('SignSGD');
      expect(get({ className: 'SignSGD', config: { learningRate: 0.5 } }).learningRate).toBe(0.5);
    } finally {
      registry.delete('SignSGD');
    }
  });
});

describe('getConfig → fromConfig', () => {
  const makers: [string, () => Optimizer][] = [
    ['SGD', () => SGD(0.1, { momentum: 0.9, nesterov: true, clipNorm: 2 })],
    ['Adam', () => Adam({ learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, amsgrad: true, clipValue: 1 })],
    ['AdamW', () => AdamW(0.1, { weightDecay: 0.05, globalClipNorm: 3 })],
    ['RMSprop', () => RMSprop(0.05, { rho: 0.8, momentum: 0.5, centered: true, epsilon: 1e-6 })],
    ['Adagrad', () => Adagrad(0.5, { initialAccumulatorValue: 0.2, epsilon: 1e-6, weightDecay: 0.01 })],
    ['SGD with a schedule', () => SGD(CosineDecay(0.2, 5, { alpha: 0.1 }), { momentum: 0.5 })],
  ];
  for (const [label, make] of makers) {
    it(`${label}: same config, same trajectory, through JSON`, () => {
      const a = make();
      const json = JSON.parse(JSON.stringify(serialize(a)));
      const b = deserialize(json);
      expect(b.className).toBe(a.className);
      expect(b.getConfig()).toEqual(a.getConfig());
      const ta = trajectory(a);
      const tb = trajectory(b);
      expectClose(tb.w, ta.w, label, 0);
      expectClose(tb.u, ta.u, label, 0);
      a.dispose();
      b.dispose();
    });
  }

  it('each factory has fromConfig', () => {
    const cfg = Adam(0.01).getConfig();
    expect(Adam.fromConfig(cfg).getConfig()).toEqual(cfg);
    expect(SGD.fromConfig().learningRate).toBe(0.01);
  });
});

describe('construction checks say what they expected and what they found', () => {
  it.each([
    [() => SGD(-1), 'SGD: learningRate must be a finite number >= 0, got -1'],
    [() => SGD(NaN), 'SGD: learningRate must be a finite number >= 0, got NaN'],
    [() => SGD(0.1, { momentum: 1 }), 'SGD: momentum must be a number in [0, 1), got 1'],
    [() => SGD(0.1, { momentum: -0.1 }), 'SGD: momentum must be a number in [0, 1), got -0.1'],
    [() => Adam({ beta1: 1 }), 'Adam: beta1 must be a number in [0, 1), got 1'],
    [() => Adam({ beta2: NaN }), 'Adam: beta2 must be a number in [0, 1), got NaN'],
    [() => Adam({ epsilon: 0 }), 'Adam: epsilon must be a finite number > 0, got 0'],
    [() => AdamW({ weightDecay: -1 }), 'AdamW: weightDecay must be a finite number >= 0, got -1'],
    [() => RMSprop({ rho: 1.5 }), 'RMSprop: rho must be a number in [0, 1), got 1.5'],
    [() => RMSprop({ epsilon: -1e-7 }), 'RMSprop: epsilon must be a finite number > 0, got -1e-7'],
    [() => Adagrad({ initialAccumulatorValue: -0.1 }), 'Adagrad: initialAccumulatorValue must be a finite number >= 0, got -0.1'],
    [() => SGD(0.1, { clipNorm: 0 }), 'SGD: clipNorm must be a finite number > 0, got 0'],
    [() => SGD(0.1, { clipNorm: 1, clipValue: 1 }), 'SGD: set at most one of clipNorm, clipValue and globalClipNorm, got 2 of them'],
    [() => SGD(0.1, { momentun: 0.9 } as never), 'SGD: unknown option "momentun" (did you mean "momentum"?). Known options:'],
    [() => SGD(0.1, { learningRate: 0.2 }), 'SGD: learningRate given twice'],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  it('a plain function is not a schedule', () => {
    expect(() => SGD((() => 0.1) as never)).toThrow('SGD: learningRate must be a number or a schedule');
  });

  it('learningRate is settable (callbacks) and checked', () => {
    const opt = SGD(0.1);
    opt.learningRate = 0.05;
    expect(opt.learningRate).toBe(0.05);
    expect(opt.getConfig().learningRate).toBe(0.05);
    expect(() => {
      opt.learningRate = -2;
    }).toThrow('SGD: learningRate must be a finite number >= 0, got -2');
  });
});
