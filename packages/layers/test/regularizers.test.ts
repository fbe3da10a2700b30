import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { Dense, L1, L1L2, L2, PReLU, getRegularizer, resetNames, serializeRegularizer } from '../src/index';

const num = (t: T.Tensor): number => t.dataSync()[0];

describe('regularizers', () => {
  beforeEach(() => resetNames());

  it('L1, L2, L1L2 values (Keras formulas, no 1/2 factor)', () => {
    const w = T.tensor2d([[1, -2], [3, -4]]);
    expect(num(L1(0.1)(w))).toBeCloseTo(1, 6);
    expect(num(L2(0.01)(w))).toBeCloseTo(0.3, 6);
    expect(num(L1L2({ l1: 0.1, l2: 0.01 })(w))).toBeCloseTo(1.3, 6);
    expect(num(L1L2()(w))).toBe(0);
    expect(num(L2({ l2: 0.5 })(w))).toBeCloseTo(15, 5);
  });

  it('by name and serialized form; errors', () => {
    expect(getRegularizer('l2')?.getConfig()).toEqual({ l2: 0.01 });
    expect(getRegularizer('l1')?.getConfig()).toEqual({ l1: 0.01 });
    expect(getRegularizer('l1_l2')?.getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(getRegularizer(undefined)).toBeNull();
    const r = L1L2({ l1: 0.2, l2: 0.3 });
    const s = serializeRegularizer(r);
    expect(s).toEqual({ className: 'L1L2', config: { l1: 0.2, l2: 0.3 } });
    expect(getRegularizer(s as never)?.getConfig()).toEqual({ l1: 0.2, l2: 0.3 });
    expect(() => getRegularizer('l3' as never)).toThrow('Unknown regularizer "l3". Known regularizers: l1, l2, l1_l2, l1l2');
    expect(() => L2(-1)).toThrow('L2: l2 must be a finite number >= 0, got -1');
    expect(() => getRegularizer({ className: 'Evil' })).toThrow(/Unknown regularizer "Evil"/);
  });

  it('layer.losses() gives one scalar per regularized weight, with the right value and gradient', () => {
    const d = Dense(2, { kernelRegularizer: L2(0.1), biasRegularizer: 'l1', biasInitializer: 'ones' });
    expect(d.losses()).toEqual([]);
    d(T.ones([1, 3]));
    d.setWeights([T.tensor2d([[1, 2], [0, -1], [3, 0]]), T.tensor1d([1, -2])]);
    const ls = d.losses();
    expect(ls.length).toBe(2);
    expect(num(ls[0])).toBeCloseTo(0.1 * 15, 5);
    expect(num(ls[1])).toBeCloseTo(0.01 * 3, 6);
    const { grads } = T.variableGrads(() => T.addN(d.losses()) as T.Scalar, d.trainableWeights);
    expect(Array.from(grads[(d.kernel as T.Variable).name].dataSync()).map((v) => +v.toFixed(5))).toEqual([0.2, 0.4, 0, -0.2, 0.6, 0]);
    expect(Array.from(grads[(d.bias as T.Variable).name].dataSync()).map((v) => +v.toFixed(5))).toEqual([0.01, -0.01]);
    expect(Dense(2).losses()).toEqual([]);
  });

  it('PReLU alphaRegularizer', () => {
    const p = PReLU({ alphaRegularizer: L1(1), alphaInitializer: { className: 'Constant', config: { value: -0.5 } } });
    p(T.ones([1, 4]));
    expect(num(p.losses()[0])).toBeCloseTo(2, 6);
  });

  it('activityRegularizer penalizes the output of the latest call, divided by the batch size', () => {
    const d = Dense(2, { kernelInitializer: 'ones', activityRegularizer: L1(0.5) });
    d(T.tensor2d([[1, 1], [2, -3]])); // outputs [[2,2],[-1,-1]]: sum |y| = 6
    const ls = d.losses();
    expect(ls.length).toBe(1);
    expect(num(ls[0])).toBeCloseTo((0.5 * 6) / 2, 6);
    expect(d.getConfig().activityRegularizer).toEqual({ className: 'L1', config: { l1: 0.5 } });
  });

  it('weightLosses() and activityLosses() give each kind alone; losses() is both, weights first', () => {
    const d = Dense(2, { kernelInitializer: 'ones', kernelRegularizer: L2(0.1), activityRegularizer: L1(0.5) });
    expect([d.weightLosses(), d.activityLosses(), d.losses()]).toEqual([[], [], []]);
    const y1 = d(T.tensor2d([[1, 1], [2, -3]])); // kernel all ones (Σw² = 4); Σ|y| = 6 over 2 samples
    expect(d.weightLosses().map(num)).toEqual([expect.closeTo(0.4, 6)]);
    expect(d.activityLosses().map(num)).toEqual([expect.closeTo(1.5, 6)]);
    expect(d.losses().map(num)).toEqual([expect.closeTo(0.4, 6), expect.closeTo(1.5, 6)]);
    // the weight penalties are fresh tensors each call, the activity penalties those of the call
    expect(d.weightLosses()[0]).not.toBe(d.weightLosses()[0]);
    expect(d.activityLosses()[0]).toBe(d.activityLosses()[0]);
    // the next call replaces the activity penalties
    const y2 = d(T.tensor2d([[1, 0]])); // Σ|y| = 2 over 1 sample
    expect(d.activityLosses().map(num)).toEqual([expect.closeTo(1, 6)]);
    // made inside a tidy, they end with it: activityLosses() leaves released ones out
    T.tidy(() => {
      d(T.tensor2d([[3, 3]]));
      expect(d.activityLosses().length).toBe(1);
    });
    expect(d.activityLosses()).toEqual([]);
    expect(d.weightLosses().length).toBe(1);
    T.dispose([y1, y2]);
  });

  it('eager calls outside tidy release the activity penalties they replace (no leak)', () => {
    const d = Dense(2, { kernelInitializer: 'ones', activityRegularizer: L1(0.5) });
    const x = T.tensor2d([[1, 1], [2, -3]]);
    T.dispose(d(x)); // builds: kernel, bias and one penalty stay
    const first = d.activityLosses()[0];
    const before = T.memory().numTensors;
    for (let i = 0; i < 5; i++) T.dispose(d(x));
    expect(T.memory().numTensors).toBe(before);
    expect(first.isDisposed).toBe(true);
    expect(d.activityLosses().map(num)).toEqual([expect.closeTo(1.5, 6)]);
    // a softmax layer (whose output records its logits) leaks nothing either
    const s = Dense(2, { activation: 'softmax', activityRegularizer: L1(1) });
    T.dispose(s(x));
    const beforeSoftmax = T.memory().numTensors;
    for (let i = 0; i < 3; i++) T.dispose(s(x));
    expect(T.memory().numTensors).toBe(beforeSoftmax);
    // penalties made in a tidy were released by it; the next call outside leaves them alone
    T.tidy(() => {
      T.dispose(d(x));
    });
    T.dispose(d(x));
    expect(d.activityLosses().length).toBe(1);
    // the caller's input and output are never touched; dispose() releases the last penalties
    const y = d(x);
    const kept = T.memory().numTensors;
    expect(x.isDisposed).toBe(false);
    d.dispose();
    // kernel, bias and the penalty
    expect(T.memory().numTensors).toBe(kept - 3);
    expect(y.isDisposed).toBe(false);
    T.dispose([x, y]);
    s.dispose();
  });

  it('weightLosses() inside a gradient function trains the weights only', () => {
    const d = Dense(1, { kernelInitializer: 'ones', useBias: false, kernelRegularizer: L2(1), activityRegularizer: L1(1) });
    const x = T.tensor2d([[1, 2]]);
    T.dispose(d(x));
    const { value, grads } = T.variableGrads(() => T.addN(d.weightLosses()) as T.Scalar, d.trainableWeights);
    expect(num(value)).toBeCloseTo(2, 6); // Σw² with w = [1, 1]
    expect(Array.from(grads[(d.kernel as T.Variable).name].dataSync())).toEqual([2, 2]);
  });
});

describe('regularizer names that are Object members', () => {
  it.each(['__proto__', 'constructor', 'hasOwnProperty', 'toString'])('%s is an unknown regularizer, not a TypeError', (name) => {
    expect(() => getRegularizer(name as never)).toThrow(/Unknown regularizer "[^"]+". Known regularizers: l1, l2/);
  });
});
