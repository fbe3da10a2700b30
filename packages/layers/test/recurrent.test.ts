// LSTM, GRU and SimpleRNN against PyTorch (float64, Keras's maths and weight layouts, checked
// against torch.nn.LSTM/GRU/RNN): outputs, final states and the gradients of the input and of
// every weight, with and without masks, forwards and backwards, with initial states; each case
// through the fused sequence op and through the step-by-step loop (a user activation forces it).
// Values: test/reference/recurrent.json, made by test/reference/recurrent_reference.py.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { GRU, LSTM, SimpleRNN, resetNames } from '../src/index';
import type { RNNLayer } from '../src/index';

interface Case {
  masked: boolean;
  goBackwards: boolean;
  initialState: boolean;
  sequence: number[];
  last: number[];
  states: number[][];
  grads_seq: Record<string, number[]>;
  grads_last: Record<string, number[]>;
}
interface Ref {
  B: number;
  T: number;
  F: number;
  U: number;
  x: number[];
  mask: number[][];
  probe_seq: number[];
  probe_last: number[];
  probe_h: number[];
  probe_c: number[];
  h0: number[];
  c0: number[];
  layers: Record<string, { weights: Record<string, number[]>; cases: Case[] }>;
}

const REF = JSON.parse(readFileSync(join(import.meta.dirname, 'reference', 'recurrent.json'), 'utf8')) as Ref;
const { B, F, U } = REF;
const STEPS = REF.T;

beforeEach(() => resetNames());

function expectClose(got: ArrayLike<number>, want: number[], what: string, tol = 2e-5): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) {
      throw new Error(`${what}[${i}]: got ${got[i]}, PyTorch ${want[i]}`);
    }
  }
}

type Kind = 'lstm' | 'gru' | 'simple';
// a plain function is not the registered built-in: the layer runs step by step
const tanhStepwise = (x: Tensor): Tensor => T.tanh(x);
const sigmoidStepwise = (x: Tensor): Tensor => T.sigmoid(x);

function make(kind: Kind, returnSequences: boolean, goBackwards: boolean, stepwise: boolean): RNNLayer {
  const act = stepwise ? { activation: tanhStepwise } : {};
  const ract = stepwise && kind !== 'simple' ? { recurrentActivation: sigmoidStepwise } : {};
  const o = { returnSequences, returnState: returnSequences, goBackwards, ...act, ...ract };
  const layer = kind === 'lstm' ? LSTM(U, o) : kind === 'gru' ? GRU(U, o) : SimpleRNN(U, o);
  layer.build([null, STEPS, F]);
  const w = REF.layers[kind].weights;
  const shapes = { kernel: layer.weights[0].shape, recurrent_kernel: layer.weights[1].shape, bias: layer.weights[2].shape };
  const values = (['kernel', 'recurrent_kernel', 'bias'] as const).map((k) => T.tensor(w[k], shapes[k]));
  layer.setWeights(values);
  T.dispose(values);
  return layer;
}

describe('recurrent layers against PyTorch', () => {
  for (const kind of ['lstm', 'gru', 'simple'] as const) {
    for (const c of REF.layers[kind].cases) {
      for (const stepwise of [false, true]) {
        const name = `${kind}${c.masked ? ', masked' : ''}${c.goBackwards ? ', goBackwards' : ''}${c.initialState ? ', initial state' : ''} (${stepwise ? 'step by step' : 'fused'})`;
        it(name, () => {
          const seqLayer = make(kind, true, c.goBackwards, stepwise);
          const lastLayer = make(kind, false, c.goBackwards, stepwise);
          expect(seqLayer.cell.fused(false) === null).toBe(stepwise);
          const before = T.memory().numTensors;
          T.tidy(() => {
            const x = T.tensor3d(REF.x, [B, STEPS, F]);
            const mask = c.masked ? T.tensor2d(REF.mask, [B, STEPS], 'bool') : undefined;
            const init = c.initialState ? [T.tensor2d(REF.h0, [B, U]), ...(kind === 'lstm' ? [T.tensor2d(REF.c0, [B, U])] : [])] : [];
            const probeSeq = T.tensor3d(REF.probe_seq, [B, STEPS, U]);
            const probeLast = T.tensor2d(REF.probe_last, [B, U]);
            const probeH = T.tensor2d(REF.probe_h, [B, U]);
            const probeC = T.tensor2d(REF.probe_c, [B, U]);
            const runSeq = (xs: Tensor, states: Tensor[]) => {
              const out = seqLayer.apply(xs, { mask, ...(states.length ? { initialState: states } : {}) }) as unknown as Tensor[];
              return out;
            };
            // values
            const out = runSeq(x, init);
            expectClose(out[0].dataSync(), c.sequence, 'sequence');
            out.slice(1).forEach((s, i) => expectClose(s.dataSync(), c.states[i], `state ${i}`));
            const last = lastLayer.apply(x, { mask, ...(init.length ? { initialState: init } : {}) });
            expectClose(last.dataSync(), c.last, 'last output');
            // gradients of Σ seq·P + Σ h·R (+ Σ c·S) and of Σ last·Q
            const j1 = (xs: Tensor, states: Tensor[]) => {
              const o = runSeq(xs, states);
              let j = T.add(T.sum(T.mul(o[0], probeSeq)), T.sum(T.mul(o[1], probeH)));
              if (kind === 'lstm') j = T.add(j, T.sum(T.mul(o[2], probeC)));
              return j as T.Scalar;
            };
            const gIn = T.grads((xs: Tensor, ...st: Tensor[]) => j1(xs, st))([x, ...init]);
            expectClose(gIn[0].dataSync(), c.grads_seq.x, 'd/dx');
            if (c.initialState) {
              expectClose(gIn[1].dataSync(), c.grads_seq.h0, 'd/dh0');
              if (kind === 'lstm') expectClose(gIn[2].dataSync(), c.grads_seq.c0, 'd/dc0');
            }
            const names = ['kernel', 'recurrent_kernel', 'bias'];
            const gw = T.valueAndGradients(() => j1(x, init), seqLayer.trainableWeights);
            gw.grads.forEach((g, i) => expectClose((g as Tensor).dataSync(), c.grads_seq[names[i]], `d/d ${names[i]}`));
            const gl = T.valueAndGradients(() => T.sum(T.mul(lastLayer.apply(x, { mask, ...(init.length ? { initialState: init } : {}) }), probeLast)) as T.Scalar, lastLayer.trainableWeights);
            gl.grads.forEach((g, i) => expectClose((g as Tensor).dataSync(), c.grads_last[names[i]], `d/d ${names[i]} (last output)`));
            const gxLast = T.grads((xs: Tensor) => T.sum(T.mul(lastLayer.apply(xs, { mask, ...(init.length ? { initialState: init } : {}) }), probeLast)))([x]);
            expectClose(gxLast[0].dataSync(), c.grads_last.x, 'd/dx (last output)');
          });
          expect(T.memory().numTensors).toBe(before);
          seqLayer.dispose();
          lastLayer.dispose();
        });
      }
    }
  }
});
