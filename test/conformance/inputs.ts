// Test inputs as closed forms, mirrored exactly in generate_expected.py: every value is a
// multiple of 1/8 in [-1, 1], so it is exact in float32 and both sides start from the same bits.

/** `rows x cols` values `(((i*7 + j*13 + salt*5) mod 17) - 8) / 8`. */
export function mat(rows: number, cols: number, salt: number): number[][] {
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_unused, j) => (((i * 7 + j * 13 + salt * 5) % 17) - 8) / 8),
  );
}

/** The first row of `mat(1, n, salt)`. */
export function vec(n: number, salt: number): number[] {
  return mat(1, n, salt)[0];
}

/** `n` values `(((i*37 + salt*101) mod 257) - 128) / 128`: exact in float32, distinct over 257 cells. */
export function seq(n: number, salt: number): number[] {
  return Array.from({ length: n }, (_, i) => (((i * 37 + salt * 101) % 257) - 128) / 128);
}
