// Per-sample weights of fit and evaluate (`sampleWeight`, `classWeight`, a validation triple's
// weights), loaded on demand: a fit without them (a page) does not download this.
import { describeData } from '@neurona/common';
import { argMax, cast, gather, isTensor, keep, mul, reshape, round, tensor1d, tidy } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { FitOptions, SampleWeightData } from './fit';
import type { DataArrays } from './step';

/** Per-sample weights `[n]` from `classWeight` (by the class of each target). */
export function classWeights(classWeight: Record<number, number> | number[], ys: Tensor[], units: (number | null)[]): Tensor[] {
  if (ys.length !== 1) throw new Error('fit: classWeight needs a model with one output');
  const entries = Object.entries(classWeight).map(([k, v]) => [Number(k), v] as const);
  for (const [k, v] of entries) {
    if (!Number.isInteger(k) || k < 0 || typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`fit: classWeight maps class indices (integers >= 0) to weights (finite numbers >= 0), got ${k}: ${String(v)}`);
    }
  }
  const y = ys[0];
  // the output's classes: its units (2 for one sigmoid unit); a class beyond them is a mistake
  const known = units[0] === null ? null : Math.max(units[0], 2);
  const beyond = known === null ? [] : entries.filter(([k]) => k >= known).map(([k]) => k);
  if (known !== null && beyond.length > 0) {
    throw new Error(
      `fit: classWeight has class${beyond.length > 1 ? 'es' : ''} ${beyond.join(', ')}, but the model's output has ${known} classes (0 to ${known - 1}); ` +
        'classWeight maps class indices of y to weights',
    );
  }
  const classes = Math.max(units[0] ?? 1, 2, ...entries.map(([k]) => k + 1));
  const table = new Float32Array(classes).fill(1);
  for (const [k, v] of entries) table[k] = v;
  return [
    tidy(() => {
      const idx =
        y.rank >= 2 && y.shape[y.rank - 1] > 1
          ? argMax(y, -1)
          : cast(reshape(y.dtype === 'int32' ? y : round(cast(y, 'float32')), [y.shape[0]]), 'int32');
      return keep(gather(tensor1d(table), reshape(idx, [-1])));
    }),
  ];
}

/** The per-sample weights of the arrays (`sampleWeight` times `classWeight`), or null. */
export function arrayWeights(where: string, data: DataArrays, sampleWeight: SampleWeightData | undefined, classWeight: FitOptions['classWeight'], units: (number | null)[], owned: Tensor[]): (Tensor | null)[] | null {
  let w: Tensor | null = null;
  if (sampleWeight !== undefined) {
    w = sampleWeightTensor(where, sampleWeight, data.n);
    if (!isTensor(sampleWeight)) owned.push(w);
  }
  if (classWeight !== undefined) {
    const cw = classWeights(classWeight, data.ys, units)[0];
    owned.push(cw);
    if (w) {
      w = mul(w, cw);
      owned.push(w);
    } else {
      w = cw;
    }
  }
  return w ? data.ys.map(() => w) : null;
}

/** `sampleWeight` as a float32 tensor `[n]`, checked. */
export function sampleWeightTensor(where: string, sw: SampleWeightData, n: number): Tensor {
  const t = isTensor(sw) ? sw : tensor1d(Array.from(sw as ArrayLike<number>));
  const ok = (t.rank === 1 || (t.rank === 2 && t.shape[1] === 1)) && t.shape[0] === n;
  if (!ok) {
    if (t !== sw) t.dispose();
    throw new Error(`${where}: sampleWeight must hold one weight per sample ([${n}]), got ${describeData(sw)}`);
  }
  return t;
}
