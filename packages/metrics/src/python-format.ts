// Number formatting and summation as Python/numpy do them, so reports match scikit-learn's text
// to the character.

/**
 * Python's `'{:.{digits}f}'.format(x)`: correctly rounded with ties to even on the exact binary
 * value (`0.125 → '0.12'`, where JavaScript's `toFixed` gives '0.13').
 */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const { int, frac } = exactDecimal(Math.abs(x));
  const padded = frac.padEnd(digits + 1, '0');
  const kept = (int + padded.slice(0, digits)).split('').map(Number);
  const rest = padded.slice(digits);
  let up: boolean;
  if (rest[0] > '5') up = true;
  else if (rest[0] < '5') up = false;
  else up = /[1-9]/.test(rest.slice(1)) || kept[kept.length - 1] % 2 === 1;
  if (up) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === 9) kept[i--] = 0;
    if (i < 0) kept.unshift(1);
    else kept[i] += 1;
  }
  const s = kept.join('');
  const intLen = s.length - digits;
  const body = digits === 0 ? s : `${s.slice(0, intLen)}.${s.slice(intLen)}`;
  return (neg ? '-' : '') + body;
}

/** The exact decimal digits of a finite double ≥ 0 (every double is m·2^e, a finite decimal). */
function exactDecimal(a: number): { int: string; frac: string } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) {
    e = -1074;
  } else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  if (e >= 0) return { int: (mant << BigInt(e)).toString(), frac: '' };
  // m / 2^k = m·5^k / 10^k
  const k = -e;
  const digits = (mant * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
  return { int: digits.slice(0, digits.length - k), frac: digits.slice(digits.length - k) };
}

/** Python's `'{:>{width}}'.format(s)`: right-align in `width` characters (code points, as Python). */
export function padLeft(s: string, width: number): string {
  const n = [...s].length;
  return n >= width ? s : ' '.repeat(width - n) + s;
}

/** Length in code points, as Python's `len(str)`. */
export function pyLen(s: string): number {
  return [...s].length;
}

/** numpy's pairwise summation of float64 (`np.sum` on a contiguous 1-D array), for bit-equal averages. */
export function npSum(a: readonly number[], start = 0, n = a.length): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    // numpy's 0. + a0 is exact, so a 0-sum of -0 elements is +0 just as here
    return res;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => a[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return npSum(a, start, n2) + npSum(a, start + n2, n - n2);
}

/** `np.average(a, weights=w)`: `sum(a·w) / sum(w)` with numpy's summation; unweighted is `np.mean`. */
export function npAverage(a: readonly number[], w?: readonly number[]): number {
  if (w === undefined) return npSum(a) / a.length;
  return npSum(a.map((v, i) => v * w[i])) / npSum(w);
}
