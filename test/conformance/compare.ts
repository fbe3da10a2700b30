/** An expected output, as written by generate_expected.py. */
export interface Expected {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}

/** An output read back from a backend. */
export interface Actual {
  shape: number[];
  dtype: string;
  values: number[];
}

/** `|actual - expected| <= atol + rtol * |expected|` per element. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

// float32 carries ~7 significant digits; kernels that sum 65-300 terms or evaluate exp/log
// in a different order lose a few more. These bounds are 10-100x the worst error measured.
export const TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1e-4 };

/** The largest elementwise error of `actual` against `expected` (Infinity when shapes differ). */
export function maxError(actual: Actual, expected: Expected): number {
  if (actual.values.length !== expected.values.length) return Infinity;
  let worst = 0;
  expected.values.forEach((e, i) => {
    const d = Math.abs(actual.values[i] - e);
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  });
  return worst;
}

/** Every way `actual` differs from `expected` beyond `tol`, as readable lines (empty when they agree). */
export function differences(actual: Actual[], expected: Expected[], tol: Tolerance = TOLERANCE): string[] {
  if (actual.length !== expected.length) return [`${actual.length} outputs, expected ${expected.length}`];
  const out: string[] = [];
  expected.forEach((exp, k) => {
    const act = actual[k];
    const at = expected.length > 1 ? `output ${k}: ` : '';
    if (JSON.stringify(act.shape) !== JSON.stringify(exp.shape)) {
      out.push(`${at}shape [${act.shape}], expected [${exp.shape}]`);
      return;
    }
    if (act.dtype !== exp.dtype) out.push(`${at}dtype ${act.dtype}, expected ${exp.dtype}`);
    const exact = exp.dtype === 'int32';
    const bad = exp.values
      .map((e, i) => ({ i, e, a: act.values[i] }))
      .filter(({ e, a }) => !(exact ? a === e : Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e)));
    if (bad.length) {
      const first = bad.slice(0, 3).map(({ i, a, e }) => `[${i}] ${a} vs ${e}`).join(', ');
      out.push(`${at}${bad.length}/${exp.values.length} values off (${first}); max error ${maxError(act, exp)}`);
    }
  });
  return out;
}
