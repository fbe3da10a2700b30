// Keras's `_analyze_einsum_string` (EinsumDense): from an equation, the input shape and the
// partial output shape, the kernel shape, the bias shape, the full output shape, and which kernel
// axes face the input (fan-in) and the output (fan-out).
import { reshape } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { Initializer } from '@neurona/initializers';

/** What an EinsumDense-style projection needs to build. */
export interface EinsumAnalysis {
  kernelShape: number[];
  biasShape: number[] | null;
  /** Output shape, batch first (`null` where unknown). */
  outputShape: Shape;
  inputAxes: number[];
  outputAxes: number[];
}

/** Analyze `equation` as Keras does; throws a message naming `where` on an unsupported form. */
export function analyzeEinsum(where: string, equation: string, biasAxes: string | null, inputShape: Shape, partialOutput: Shape | number): EinsumAnalysis {
  const dot = equation.replace(/\.\.\./g, '0');
  let m = /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$/.exec(dot);
  let leftElided = false;
  if (!m) {
    m = /^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$/.exec(dot);
    leftElided = !!m;
  }
  m ??= /^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$/.exec(dot);
  if (!m) throw new Error(`${where}: invalid equation "${equation}"; use the form "ab,bc->ac", "...b,bc->...c" or "ab...,bc->ac..."`);
  const [, inSpec, wSpec, outSpec] = m;
  const elided = inputShape.length - inSpec.length;
  const out: Shape = typeof partialOutput === 'number' ? [partialOutput] : [...partialOutput];
  out.unshift(inputShape[0]);
  if (elided > 0 && leftElided) for (let i = 1; i < elided; i++) out.splice(1, 0, inputShape[i]);
  else if (elided > 0) for (let i = inputShape.length - elided; i < inputShape.length; i++) out.push(inputShape[i]);
  const inMap = new Map([...inSpec].map((c, i) => [c, leftElided ? i + elided - inputShape.length : i]));
  const outMap = new Map([...outSpec].map((c, i) => [c, leftElided ? i + elided : i]));
  const at = (s: Shape, i: number) => s[i < 0 ? s.length + i : i];
  for (const c of inSpec) {
    if (!outMap.has(c)) continue;
    const o = out[outMap.get(c) as number];
    const d = at(inputShape, inMap.get(c) as number);
    if (o !== null && o !== undefined && o !== d) throw new Error(`${where}: input and output shapes differ at the shared dimension '${c}': input ${d}, output ${o}`);
  }
  // sizes Keras leaves unknown where the output shares a letter with the input: take the input's
  for (const c of outSpec) {
    const i = outMap.get(c) as number;
    if (inMap.has(c) && (out[i] === null || out[i] === undefined) && i > 0) out[i] = at(inputShape, inMap.get(c) as number);
  }
  for (const c of outSpec) {
    if (!inSpec.includes(c) && !wSpec.includes(c)) throw new Error(`${where}: output dimension '${c}' of "${equation}" is in neither the input nor the weight`);
  }
  const kernelShape: number[] = [];
  const inputAxes: number[] = [];
  const outputAxes: number[] = [];
  [...wSpec].forEach((c, i) => {
    let d: number | null | undefined;
    if (outMap.has(c)) {
      d = out[outMap.get(c) as number];
      outputAxes.push(i);
    } else if (inMap.has(c)) {
      d = at(inputShape, inMap.get(c) as number);
      inputAxes.push(i);
    } else {
      throw new Error(`${where}: weight dimension '${c}' of "${equation}" is in neither the input nor the output`);
    }
    if (typeof d !== 'number') throw new Error(`${where}: the size of weight dimension '${c}' is unknown (give it in outputShape or the input shape)`);
    kernelShape.push(d);
  });
  let biasShape: number[] | null = null;
  if (biasAxes) {
    const offset = leftElided ? elided : 0;
    for (const c of biasAxes) if (!outSpec.includes(c)) throw new Error(`${where}: bias axis '${c}' is not in the output "${outSpec}"`);
    const first = Math.min(...[...biasAxes].map((c) => outSpec.indexOf(c)));
    biasShape = Array.from(outSpec.slice(first)).map((c) => (biasAxes.includes(c) ? (out[outSpec.indexOf(c) + offset] as number) : 1));
    if (!leftElided) for (let i = 0; i < elided; i++) biasShape.push(1);
  }
  return { kernelShape, biasShape, outputShape: out, inputAxes, outputAxes };
}

const VARIANCE_SCALING = new Set(['GlorotUniform', 'GlorotNormal', 'HeNormal', 'HeUniform', 'LecunNormal', 'LecunUniform', 'VarianceScaling']);

/**
 * A kernel's initial value with Keras's fans for einsum kernels: a variance-scaling initializer
 * sees fan-in = the product of the input axes and fan-out = that of the output axes (it draws a
 * `[fanIn, fanOut]` matrix of independent values, reshaped). Others draw the shape as is.
 */
export function einsumKernelValue(init: Initializer, a: EinsumAnalysis): Tensor {
  if (!VARIANCE_SCALING.has(init.className)) return init(a.kernelShape);
  const fan = (axes: number[]) => axes.reduce((p, i) => p * a.kernelShape[i], 1);
  const flat = init([fan(a.inputAxes), fan(a.outputAxes)]);
  const v = reshape(flat, a.kernelShape);
  flat.dispose();
  return v;
}
