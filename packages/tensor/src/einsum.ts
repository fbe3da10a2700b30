// Einstein summation over one or two operands, as a composition of transpose, reshape, sum and
// one (batched) matrix product, so it runs on every backend and differentiates through tfjs's
// own gradients. tfjs-core 4.22's `einsum` has no gradient and no wasm kernel; this one covers
// every equation Keras's EinsumDense and MultiHeadAttention use: `...` (ellipsis) on either side,
// batch letters (in both operands and the output), contracted letters, free letters and letters
// summed out of one operand. A letter twice in one operand (a diagonal) is refused.
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { matMulT } from './matmul-t';

interface Parsed {
  inputs: string[];
  output: string;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function fail(equation: string, what: string): never {
  throw new Error(`einsum("${equation}"): ${what}`);
}

// Replace `...` by fresh capital letters, as many as each operand's extra dimensions.
function parse(equation: string, ranks: number[]): Parsed {
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.split('->');
  if (arrow.length !== 2) fail(equation, 'expected exactly one "->" (implicit outputs are not supported)');
  const specs = arrow[0].split(',');
  if (specs.length !== ranks.length) fail(equation, `the equation names ${specs.length} operand(s), got ${ranks.length}`);
  let ellipsisRank = -1;
  const inputs = specs.map((s, i) => {
    if (!/^[a-z]*(\.\.\.)?[a-z]*$/.test(s)) fail(equation, `operand ${i} "${s}" must be lowercase letters with at most one "..."`);
    if (!s.includes('...')) {
      if (s.length !== ranks[i]) fail(equation, `operand ${i} "${s}" has ${s.length} letters but the tensor has rank ${ranks[i]}`);
      return s;
    }
    const n = ranks[i] - (s.length - 3);
    if (n < 0) fail(equation, `operand ${i} "${s}" needs rank >= ${s.length - 3}, got ${ranks[i]}`);
    ellipsisRank = Math.max(ellipsisRank, n);
    return s.replace('...', LETTERS.slice(LETTERS.length - n));
  });
  let output = arrow[1];
  if (!/^[a-z]*(\.\.\.)?[a-z]*$/.test(output)) fail(equation, `output "${output}" must be lowercase letters with at most one "..."`);
  if (output.includes('...')) output = output.replace('...', LETTERS.slice(LETTERS.length - Math.max(0, ellipsisRank)));
  inputs.forEach((s, i) => {
    if (new Set(s).size !== s.length) fail(equation, `operand ${i} repeats a letter (diagonals are not supported)`);
  });
  if (new Set(output).size !== output.length) fail(equation, 'the output repeats a letter');
  for (const c of output) if (!inputs.some((s) => s.includes(c))) fail(equation, `output letter "${c}" is in no operand`);
  return { inputs, output };
}

function sizes(equation: string, specs: string[], tensors: Tensor[]): Map<string, number> {
  const m = new Map<string, number>();
  specs.forEach((s, i) => {
    [...s].forEach((c, j) => {
      const d = tensors[i].shape[j];
      const known = m.get(c);
      if (known !== undefined && known !== d) fail(equation, `letter "${c}" has size ${known} in one place and ${d} in another`);
      m.set(c, d);
    });
  });
  return m;
}

function permute(x: Tensor, from: string, to: string): Tensor {
  if (from === to) return x;
  return tfc.transpose(x, [...to].map((c) => from.indexOf(c)));
}

// Sum out the letters of `spec` that are in neither `keep` set.
function sumOut(x: Tensor, spec: string, keep: (c: string) => boolean): { t: Tensor; spec: string } {
  const axes = [...spec].map((c, i) => (keep(c) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return { t: x, spec };
  return { t: tfc.sum(x, axes), spec: [...spec].filter((c) => keep(c)).join('') };
}

const prod = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);

/**
 * Einstein summation: `einsum('abc,cd->abd', x, kernel)`, `einsum('aecd,abcd->acbe', k, q)`,
 * `einsum('...b,bc->...c', x, w)`, `einsum('ij->ji', x)`. One or two operands; differentiable
 * (a composition of transposes, reshapes, sums and one matrix product), on every backend.
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  if (operands.length < 1 || operands.length > 2) fail(equation, `takes one or two operands, got ${operands.length}`);
  const { inputs, output } = parse(equation, operands.map((t) => t.rank));
  const size = sizes(equation, inputs, operands);
  return tfc.tidy(() => {
    if (operands.length === 1) {
      const { t, spec } = sumOut(operands[0], inputs[0], (c) => output.includes(c));
      return permute(t, spec, output);
    }
    const [sa, sb] = inputs;
    // letters only in one operand and not in the output are summed there first
    const a0 = sumOut(operands[0], sa, (c) => output.includes(c) || sb.includes(c));
    const b0 = sumOut(operands[1], sb, (c) => output.includes(c) || sa.includes(c));
    const batch = [...a0.spec].filter((c) => b0.spec.includes(c) && output.includes(c));
    const contracted = [...a0.spec].filter((c) => b0.spec.includes(c) && !output.includes(c));
    const freeA = [...a0.spec].filter((c) => !b0.spec.includes(c));
    const freeB = [...b0.spec].filter((c) => !a0.spec.includes(c));
    const dims = (cs: string[]) => cs.map((c) => size.get(c) as number);
    const [B, M, K, N] = [prod(dims(batch)), prod(dims(freeA)), prod(dims(contracted)), prod(dims(freeB))];
    const a = tfc.reshape(permute(a0.t, a0.spec, [...batch, ...freeA, ...contracted].join('')), batch.length ? [B, M, K] : [M, K]);
    const b = tfc.reshape(permute(b0.t, b0.spec, [...batch, ...contracted, ...freeB].join('')), batch.length ? [B, K, N] : [K, N]);
    const c = batch.length ? tfc.matMul(a, b) : matMulT(a as tfc.Tensor2D, b as tfc.Tensor2D, false, false);
    const spec = [...batch, ...freeA, ...freeB].join('');
    return permute(tfc.reshape(c, dims([...batch, ...freeA, ...freeB])), spec, output);
  });
}
