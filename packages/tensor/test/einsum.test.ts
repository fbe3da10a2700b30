// einsum against torch.einsum (test/reference/einsum_reference.py): values and the gradients of
// sum(out · r) for every operand, on each equation shape Keras's EinsumDense and attention use.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { einsum, memory, mul, sum, tensor, valueAndGradients, variable } from '../src/index';
import type { Scalar, Tensor } from '../src/index';

interface Case {
  equation: string;
  inputs: { shape: number[]; values: number[] }[];
  output: { shape: number[]; values: number[] };
  probe: number[];
  grads: number[][];
}
const cases = JSON.parse(readFileSync(new URL('./fixtures/einsum-reference.json', import.meta.url), 'utf8')) as Case[];

function expectClose(got: ArrayLike<number>, want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i] - want[i]) > 1e-4 * Math.max(1, Math.abs(want[i]))) throw new Error(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

describe('einsum', () => {
  for (const c of cases) {
    it(`${c.equation}: values and gradients match torch`, () => {
      const before = memory().numTensors;
      const xs = c.inputs.map((i) => tensor(i.values, i.shape));
      const y = einsum(c.equation, ...xs);
      expect(y.shape).toEqual(c.output.shape);
      expectClose(y.dataSync(), c.output.values, 'value');
      const vars = xs.map((x) => variable(x, true));
      const r = tensor(c.probe, c.output.shape);
      const { loss, grads } = valueAndGradients(() => sum(mul(einsum(c.equation, ...(vars as Tensor[])), r)) as Scalar, vars);
      const gs = grads.map((g) => g as Tensor);
      gs.forEach((g, k) => expectClose(g.dataSync(), c.grads[k], `grad ${k}`));
      [...xs, y, r, loss, ...gs, ...vars].forEach((t) => t.dispose());
      expect(memory().numTensors).toBe(before);
    });
  }

  it('says what is wrong with an equation', () => {
    const a = tensor([[1, 2]]);
    expect(() => einsum('ab,bc', a, a)).toThrow(/exactly one "->"/);
    expect(() => einsum('abc,cd->abd', a, a)).toThrow(/operand 0 "abc" has 3 letters but the tensor has rank 2/);
    expect(() => einsum('aa->a', tensor([[1, 2], [3, 4]]))).toThrow(/diagonals are not supported/);
    expect(() => einsum('ab,bc->ac', a, a)).toThrow(/letter "b" has size 2 in one place and 1 in another/);
    expect(() => einsum('ab->az', a)).toThrow(/output letter "z" is in no operand/);
    a.dispose();
  });
});
