import { describe, expect, it } from 'vitest';
import { dispose, memory, tensor1d, variable } from '@neurona/tensor';
import { Adagrad, Adam, AdamW, ExponentialDecay, RMSprop, SGD, type Optimizer } from '../src/index';
import { expectClose, makeProblem } from './problem';

const makers: [string, () => Optimizer][] = [
  ['SGD', () => SGD(0.1)],
  ['SGD momentum', () => SGD(0.1, { momentum: 0.9, nesterov: true })],
  ['Adam', () => Adam(0.1)],
  ['Adam amsgrad', () => Adam(0.1, { amsgrad: true })],
  ['AdamW', () => AdamW(0.1)],
  ['RMSprop centered momentum', () => RMSprop(0.05, { momentum: 0.5, centered: true })],
  ['Adagrad', () => Adagrad(0.5)],
  ['SGD with schedule and clipping', () => SGD(ExponentialDecay(0.2, 2, 0.5), { momentum: 0.5, globalClipNorm: 1 })],
];

describe('getWeights / setWeights', () => {
  for (const [label, make] of makers) {
    it(`${label}: a fresh optimizer given the state continues the same trajectory`, () => {
      const a = make();
      const pa = makeProblem();
      for (let i = 0; i < 5; i++) pa.step(a);
      const ws = a.getWeights();
      expect(ws[0].dataSync()[0]).toBe(5);

      // the copy starts from the same point with the saved state, before seeing any variable
      const b = make();
      b.setWeights(ws);
      dispose(ws);
      expect(b.iterations).toBe(5);
      const pb = makeProblem(Array.from(pa.w.dataSync()), Array.from(pa.u.dataSync()));
      for (let i = 0; i < 5; i++) {
        pa.step(a);
        pb.step(b);
        expectClose([Array.from(pb.w.dataSync())], [Array.from(pa.w.dataSync())], `${label} w`, 0);
        expectClose([Array.from(pb.u.dataSync())], [Array.from(pa.u.dataSync())], `${label} u`, 0);
      }
      expect(b.getConfig()).toEqual(a.getConfig());
      [a, b, pa, pb].forEach((x) => x.dispose());
    });
  }

  it('state is [iterations, ...slots of each variable in order]', () => {
    const opt = Adam(0.1);
    const p = makeProblem();
    p.step(opt);
    const ws = opt.getWeights();
    // iterations, then w's (momentum, velocity), then u's
    expect(ws.map((t) => t.shape)).toEqual([[], [2], [2], [1], [1]]);
    expect(ws[0].dtype).toBe('int32');
    dispose(ws);
    opt.dispose();
    p.dispose();
  });

  it('after the first step, setWeights wants exactly the state it has', () => {
    const opt = SGD(0.1, { momentum: 0.9 });
    const p = makeProblem();
    p.step(opt);
    const ws = opt.getWeights();
    expect(() => opt.setWeights(ws.slice(0, 2))).toThrow('SGD.setWeights: expected 3 tensors');
    const wrong = [ws[0], tensor1d([1, 2, 3]), ws[2]];
    expect(() => opt.setWeights(wrong)).toThrow('the state of variable');
    dispose([...ws, wrong[1]]);
    opt.dispose();
    p.dispose();
  });

  it('build() creates the state up front', () => {
    const v = variable(tensor1d([1, 2, 3]));
    const opt = RMSprop(0.1, { momentum: 0.5 });
    opt.build([v]);
    const ws = opt.getWeights();
    expect(ws.length).toBe(3);
    dispose(ws);
    opt.dispose();
    v.dispose();
  });
});

describe('state names', () => {
  it('getSlotNames() lists the per-variable state of each optimizer, a new array each call', () => {
    expect(SGD(0.1).getSlotNames()).toEqual([]);
    expect(SGD(0.1, { momentum: 0.9 }).getSlotNames()).toEqual(['momentum']);
    expect(Adam().getSlotNames()).toEqual(['momentum', 'velocity']);
    expect(Adam({ amsgrad: true }).getSlotNames()).toEqual(['momentum', 'velocity', 'velocityHat']);
    expect(AdamW().getSlotNames()).toEqual(['momentum', 'velocity']);
    expect(Adagrad().getSlotNames()).toEqual(['accumulator']);
    expect(RMSprop().getSlotNames()).toEqual(['velocity']);
    expect(RMSprop({ momentum: 0.5, centered: true }).getSlotNames()).toEqual(['velocity', 'momentum', 'averageGradient']);
    const opt = Adam();
    const names = opt.getSlotNames();
    names.push('changed');
    expect(opt.getSlotNames()).toEqual(['momentum', 'velocity']);
  });

  it('getWeightNames() names each getWeights() tensor: iterations, then <variable>/<slot>', () => {
    const w = variable(tensor1d([1, 2]), true, 'dense/kernel');
    const b = variable(tensor1d([0]), true, 'dense/bias');
    const opt = Adam(0.1);
    expect(opt.getWeightNames()).toEqual(['iterations']);
    opt.build([w, b]);
    expect(opt.getWeightNames()).toEqual(['iterations', 'dense/kernel/momentum', 'dense/kernel/velocity', 'dense/bias/momentum', 'dense/bias/velocity']);
    const ws = opt.getWeights();
    expect(ws.length).toBe(opt.getWeightNames().length);
    dispose(ws);
    opt.dispose();
    dispose([w, b]);
  });
});

describe('applyGradients', () => {
  it('rejects a gradient whose shape differs from its variable', () => {
    const v = variable(tensor1d([1, 2, 3]), true, 'kernel_shape_check');
    const g = tensor1d([1, 2]);
    expect(() => SGD(0.1).applyGradients([[g, v]])).toThrow(
      'SGD: the gradient of variable "kernel_shape_check" must have its shape [3], got [2]',
    );
    dispose([v, g]);
  });

  it('does not dispose the gradients', () => {
    const v = variable(tensor1d([1, 2]));
    const g = tensor1d([1, 1]);
    const opt = Adam();
    opt.applyGradients([[g, v]]);
    expect(g.isDisposed).toBe(false);
    dispose([v, g]);
    opt.dispose();
  });
});

describe('memory', () => {
  for (const [label, make] of makers) {
    it(`${label}: no tensor leaks across 100 steps, and dispose releases the state`, () => {
      const p = makeProblem();
      const before = memory().numTensors;
      const opt = make();
      p.step(opt);
      const afterFirst = memory().numTensors;
      for (let i = 0; i < 100; i++) p.step(opt);
      expect(memory().numTensors).toBe(afterFirst);
      opt.dispose();
      expect(memory().numTensors).toBe(before);
      p.dispose();
    });
  }
});

describe('setWeights without synchronous reads (WebGPU in Node)', () => {
  // A state list whose iteration count cannot be read synchronously, as on Dawn.
  function unreadable(ws: ReturnType<Optimizer['getWeights']>) {
    const first = ws[0];
    const stub = Object.create(first) as typeof first;
    Object.defineProperty(stub, 'dataSync', {
      value: () => {
        throw new Error('no sync reads here');
      },
    });
    return [stub, ...ws.slice(1)];
  }

  it('setWeights says to use setWeightsAsync, and setWeightsAsync restores the same trajectory', async () => {
    const a = Adam(0.1);
    const pa = makeProblem();
    for (let i = 0; i < 3; i++) pa.step(a);
    const ws = a.getWeights();
    const b = Adam(0.1) as Optimizer & { setWeightsAsync(w: typeof ws): Promise<void> };
    expect(() => b.setWeights(unreadable(ws))).toThrow(
      'Adam.setWeights: this backend cannot read tensors synchronously (no sync reads here); use await optimizer.setWeightsAsync(weights)',
    );
    const before = memory().numTensors;
    await b.setWeightsAsync(unreadable(ws));
    expect(memory().numTensors).toBe(before + ws.length - 1);
    dispose(ws);
    expect(b.iterations).toBe(3);
    // b continues from a's state on a problem at a's point
    const pb = makeProblem(Array.from(pa.w.dataSync()), Array.from(pa.u.dataSync()));
    pa.step(a);
    pb.step(b);
    expectClose([Array.from(pb.w.dataSync())], [Array.from(pa.w.dataSync())], 'w', 1e-6);
    a.dispose();
    b.dispose();
    pa.dispose();
    pb.dispose();
  });
});
