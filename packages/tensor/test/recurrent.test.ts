// recurrentSequence against the same recurrence written step by step with tfjs ops (whose
// gradients are tfjs's own): forward states and every gradient, for each cell, with and without a
// mask, forwards and backwards. Layer-level values against PyTorch are in @neurona/layers.
import { describe, expect, it } from 'vitest';
import * as T from '../src/index';
import type { RecurrentActivation, RecurrentCell, Tensor } from '../src/index';

const B = 3;
const S = 5;
const H = 4;
const IN_GATES: Record<RecurrentCell, number> = { lstm: 4, gru: 3, simple: 1 };

function act(a: RecurrentActivation, x: Tensor): Tensor {
  switch (a) {
    case 'tanh':
      return T.tanh(x);
    case 'sigmoid':
      return T.sigmoid(x);
    case 'relu':
      return T.relu(x);
    case 'hard_sigmoid':
      return T.mul(T.relu6(T.add(x, 3)), 1 / 6);
    default:
      return x;
  }
}

/** The recurrence with plain ops, as Keras's cells compute it. */
function reference(
  cell: RecurrentCell,
  xw: Tensor,
  u: Tensor,
  init: Tensor[],
  opts: { mask?: Tensor; rb?: Tensor; goBackwards?: boolean; activation?: RecurrentActivation; recurrentActivation?: RecurrentActivation },
): Tensor[] {
  const a = opts.activation ?? 'tanh';
  const ra = opts.recurrentActivation ?? 'sigmoid';
  let h = init[0];
  let c: Tensor | undefined = init[1];
  const hs: Tensor[] = [];
  const cs: Tensor[] = [];
  for (let s = 0; s < S; s++) {
    const t = opts.goBackwards ? S - 1 - s : s;
    const x = T.reshape(T.slice(xw, [0, t, 0], [B, 1, -1]), [B, -1]);
    let hNew: Tensor;
    let cNew: Tensor | undefined;
    if (cell === 'lstm') {
      const z = T.add(x, T.matMul(h, u));
      const [zi, zf, zg, zo] = T.split(z, 4, 1);
      cNew = T.add(T.mul(act(ra, zf), c as Tensor), T.mul(act(ra, zi), act(a, zg)));
      hNew = T.mul(act(ra, zo), act(a, cNew));
    } else if (cell === 'gru') {
      let hu = T.matMul(h, u);
      if (opts.rb) hu = T.add(hu, opts.rb);
      const [xz, xr, xh] = T.split(x, 3, 1);
      const [uz, ur, uh] = T.split(hu, 3, 1);
      const z = act(ra, T.add(xz, uz));
      const r = act(ra, T.add(xr, ur));
      const hh = act(a, T.add(xh, T.mul(r, uh)));
      hNew = T.add(T.mul(z, h), T.mul(T.sub(1, z), hh));
    } else {
      hNew = act(a, T.add(x, T.matMul(h, u)));
    }
    if (opts.mask) {
      const keep = T.reshape(T.slice(opts.mask, [0, t], [B, 1]), [B, 1]);
      hNew = T.add(h, T.mul(keep, T.sub(hNew, h)));
      if (cNew) cNew = T.add(c as Tensor, T.mul(keep, T.sub(cNew, c as Tensor)));
    }
    h = hNew;
    c = cNew;
    hs.push(h);
    if (c) cs.push(c);
  }
  return cell === 'lstm' ? [T.stack(hs, 1), T.stack(cs, 1)] : [T.stack(hs, 1)];
}

function maxDiff(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

const MASK = [
  [1, 1, 0, 1, 0],
  [0, 1, 1, 1, 1],
  [1, 0, 0, 0, 0],
];

describe('recurrentSequence matches the step-by-step recurrence', () => {
  const cases: { cell: RecurrentCell; masked: boolean; goBackwards: boolean; rb?: boolean; activation?: RecurrentActivation; recurrentActivation?: RecurrentActivation }[] = [];
  for (const cell of ['lstm', 'gru', 'simple'] as const) {
    for (const masked of [false, true]) for (const goBackwards of [false, true]) cases.push({ cell, masked, goBackwards, rb: cell === 'gru' });
  }
  cases.push({ cell: 'gru', masked: true, goBackwards: false, rb: false });
  cases.push({ cell: 'lstm', masked: false, goBackwards: false, activation: 'relu', recurrentActivation: 'hard_sigmoid' });
  cases.push({ cell: 'simple', masked: true, goBackwards: true, activation: 'relu' });
  cases.push({ cell: 'gru', masked: false, goBackwards: true, rb: true, activation: 'linear', recurrentActivation: 'sigmoid' });

  for (const cs of cases) {
    const name = `${cs.cell}${cs.masked ? ', masked' : ''}${cs.goBackwards ? ', backwards' : ''}${cs.rb === false ? ', no recurrent bias' : ''}${cs.activation ? `, ${cs.activation}/${cs.recurrentActivation ?? 'sigmoid'}` : ''}`;
    it(name, () => {
      const before = T.memory().numTensors;
      T.tidy(() => {
        const g = IN_GATES[cs.cell];
        const xw = T.randomNormal([B, S, g * H], 0, 0.8, 'float32', 1);
        const u = T.randomNormal([H, g * H], 0, 0.5, 'float32', 2);
        const h0 = T.randomNormal([B, H], 0, 0.5, 'float32', 3);
        const c0 = T.randomNormal([B, H], 0, 0.5, 'float32', 4);
        const rb = cs.rb ? T.randomNormal([g * H], 0, 0.5, 'float32', 5) : undefined;
        const mask = cs.masked ? T.tensor2d(MASK) : undefined;
        const init = cs.cell === 'lstm' ? [h0, c0] : [h0];
        const opts = { mask, goBackwards: cs.goBackwards, activation: cs.activation, recurrentActivation: cs.recurrentActivation };
        const probe = T.randomNormal([B, S, H], 0, 1, 'float32', 6);
        const probeC = T.randomNormal([B, S, H], 0, 1, 'float32', 7);
        const objective = (outs: Tensor[]) => {
          let o = T.sum(T.mul(outs[0], probe));
          if (outs[1]) o = T.add(o, T.sum(T.mul(outs[1], probeC)));
          return o as T.Scalar;
        };
        const ours = (xs: Tensor[]) => {
          const r = T.recurrentSequence(cs.cell, xs[0], xs[1], cs.cell === 'lstm' ? [xs[2], xs[3]] : [xs[2]], {
            ...opts,
            recurrentBias: cs.rb ? xs[cs.cell === 'lstm' ? 4 : 3] : undefined,
          });
          return r.c ? [r.h, r.c] : [r.h];
        };
        const theirs = (xs: Tensor[]) =>
          reference(cs.cell, xs[0], xs[1], cs.cell === 'lstm' ? [xs[2], xs[3]] : [xs[2]], { ...opts, rb: cs.rb ? xs[cs.cell === 'lstm' ? 4 : 3] : undefined });
        const args = [xw, u, ...init, ...(rb ? [rb] : [])];
        const a = ours(args);
        const b = theirs(args);
        a.forEach((t, i) => expect(maxDiff(t, b[i]), `states ${i}`).toBeLessThan(1e-5));
        const ga = T.grads((...xs: Tensor[]) => objective(ours(xs)))(args);
        const gb = T.grads((...xs: Tensor[]) => objective(theirs(xs)))(args);
        ga.forEach((t, i) => expect(maxDiff(t, gb[i]), `gradient ${i}`).toBeLessThan(1e-4));
      });
      expect(T.memory().numTensors).toBe(before);
    });
  }

  it('refuses shapes that do not fit, naming them', () => {
    const xw = T.zeros([2, 3, 8]);
    const u = T.zeros([2, 8]);
    expect(() => T.recurrentSequence('gru', xw, u, [T.zeros([2, 2])])).toThrow(
      'recurrentSequence(gru): expects xw [batch, steps, 3·units] and a recurrent kernel [units, 3·units], got xw [2, 3, 8] and kernel [2, 8]',
    );
    expect(() => T.recurrentSequence('lstm', xw, u, [T.zeros([2, 2])])).toThrow(/expects 2 initial state\(s\) \[2, 2\], got \[2, 2\]/);
    expect(() => T.recurrentSequence('lstm', xw, u, [T.zeros([2, 2]), T.zeros([2, 2])], { mask: T.ones([2, 4]) })).toThrow(/the mask must be \[2, 3\], got \[2, 4\]/);
    expect(T.recurrentActivation('tanh')).toBe('tanh');
    expect(T.recurrentActivation('gelu')).toBeNull();
  });
});
