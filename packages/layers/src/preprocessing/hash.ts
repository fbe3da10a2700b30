// The two string hashes TensorFlow's `to_hash_bucket_fast` / `to_hash_bucket_strong` use, so that
// `Hashing` (and the lookup layers' OOV buckets) give Keras's bucket ids: FarmHash's
// Fingerprint64 (farmhashna::Hash64, seed 81) and SipHash-2-4 keyed by the layer's salt. 64-bit
// arithmetic in BigInt, wrapped to 64 bits after every step, as the C++ does with uint64_t.

const M64 = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;

const u64 = (x: bigint): bigint => x & M64;
const mul = (a: bigint, b: bigint): bigint => (a * b) & M64;
const add = (...xs: bigint[]): bigint => xs.reduce((s, x) => s + x, 0n) & M64;
const rot = (v: bigint, s: number): bigint => (s === 0 ? v : ((v >> BigInt(s)) | (v << BigInt(64 - s))) & M64);
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

function fetch64(b: Uint8Array, i: number): bigint {
  let r = 0n;
  for (let k = 7; k >= 0; k--) r = (r << 8n) | BigInt(b[i + k]);
  return r;
}

function fetch32(b: Uint8Array, i: number): bigint {
  return BigInt((b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0);
}

function hashLen16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m);
  a ^= a >> 47n;
  let b = mul(v ^ a, m);
  b ^= b >> 47n;
  return mul(b, m);
}

function hashLen0to16(s: Uint8Array, len: number): bigint {
  const L = BigInt(len);
  if (len >= 8) {
    const m = add(K2, L * 2n);
    const a = add(fetch64(s, 0), K2);
    const b = fetch64(s, len - 8);
    const c = add(mul(rot(b, 37), m), a);
    const d = mul(add(rot(a, 25), b), m);
    return hashLen16(c, d, m);
  }
  if (len >= 4) {
    const m = add(K2, L * 2n);
    const a = fetch32(s, 0);
    return hashLen16(add(L, a << 3n), fetch32(s, len - 4), m);
  }
  if (len > 0) {
    const a = BigInt(s[0]);
    const b = BigInt(s[len >> 1]);
    const c = BigInt(s[len - 1]);
    const y = (a + (b << 8n)) & 0xffffffffn;
    const z = (L + (c << 2n)) & 0xffffffffn;
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
  }
  return K2;
}

function hashLen17to32(s: Uint8Array, len: number): bigint {
  const m = add(K2, BigInt(len) * 2n);
  const a = mul(fetch64(s, 0), K1);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  return hashLen16(add(rot(add(a, b), 43), rot(c, 30), d), add(a, rot(add(b, K2), 18), c), m);
}

function hashLen33to64(s: Uint8Array, len: number): bigint {
  const m = add(K2, BigInt(len) * 2n);
  const a = mul(fetch64(s, 0), K2);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  const y = add(rot(add(a, b), 43), rot(c, 30), d);
  const z = hashLen16(y, add(a, rot(add(b, K2), 18), c), m);
  const e = mul(fetch64(s, 16), m);
  const f = fetch64(s, 24);
  const g = mul(add(y, fetch64(s, len - 32)), m);
  const h = mul(add(z, fetch64(s, len - 24)), m);
  return hashLen16(add(rot(add(e, f), 43), rot(g, 30), h), add(e, rot(add(f, a), 18), g), m);
}

function weakHashLen32WithSeeds(s: Uint8Array, i: number, a0: bigint, b0: bigint): [bigint, bigint] {
  const w = fetch64(s, i);
  const x = fetch64(s, i + 8);
  const y = fetch64(s, i + 16);
  const z = fetch64(s, i + 24);
  let a = add(a0, w);
  let b = rot(add(b0, a, z), 21);
  const c = a;
  a = add(a, x, y);
  b = add(b, rot(a, 44));
  return [add(a, z), add(b, c)];
}

/** FarmHash Fingerprint64 of some bytes (TensorFlow's `Fingerprint64`), as an unsigned 64-bit BigInt. */
export function fingerprint64(s: Uint8Array): bigint {
  const len = s.length;
  if (len <= 16) return hashLen0to16(s, len);
  if (len <= 32) return hashLen17to32(s, len);
  if (len <= 64) return hashLen33to64(s, len);
  const seed = 81n;
  let x = seed;
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = add(mul(x, K2), fetch64(s, 0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = end + ((len - 1) & 63) - 63;
  let p = 0;
  do {
    x = mul(rot(add(x, y, v[0], fetch64(s, p + 8)), 37), K1);
    y = mul(rot(add(y, v[1], fetch64(s, p + 48)), 42), K1);
    x ^= w[1];
    y = add(y, v[0], fetch64(s, p + 40));
    z = mul(rot(add(z, w[0]), 33), K1);
    v = weakHashLen32WithSeeds(s, p, mul(v[1], K1), add(x, w[0]));
    w = weakHashLen32WithSeeds(s, p + 32, add(z, w[1]), add(y, fetch64(s, p + 16)));
    [z, x] = [x, z];
    p += 64;
  } while (p !== end);
  const m = add(K1, (z & 0xffn) << 1n);
  p = last64;
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  x = mul(rot(add(x, y, v[0], fetch64(s, p + 8)), 37), m);
  y = mul(rot(add(y, v[1], fetch64(s, p + 48)), 42), m);
  x ^= mul(w[1], 9n);
  y = add(y, mul(v[0], 9n), fetch64(s, p + 40));
  z = mul(rot(add(z, w[0]), 33), m);
  v = weakHashLen32WithSeeds(s, p, mul(v[1], m), add(x, w[0]));
  w = weakHashLen32WithSeeds(s, p + 32, add(z, w[1]), add(y, fetch64(s, p + 16)));
  [z, x] = [x, z];
  return hashLen16(add(hashLen16(v[0], w[0], m), mul(shiftMix(y), K0), z), add(hashLen16(v[1], w[1], m), x), m);
}

function sipRound(v: bigint[]): void {
  v[0] = u64(v[0] + v[1]);
  v[1] = rot(v[1], 64 - 13) ^ v[0];
  v[0] = rot(v[0], 64 - 32);
  v[2] = u64(v[2] + v[3]);
  v[3] = rot(v[3], 64 - 16) ^ v[2];
  v[0] = u64(v[0] + v[3]);
  v[3] = rot(v[3], 64 - 21) ^ v[0];
  v[2] = u64(v[2] + v[1]);
  v[1] = rot(v[1], 64 - 17) ^ v[2];
  v[2] = rot(v[2], 64 - 32);
}

/**
 * SipHash-2-4 of some bytes with the 128-bit key `[k0, k1]` (TensorFlow's `StrongKeyedHash`, what
 * `to_hash_bucket_strong` uses with Keras's `salt`), as an unsigned 64-bit BigInt.
 */
export function sipHash24(key: readonly [bigint, bigint], s: Uint8Array): bigint {
  const [k0, k1] = [u64(key[0]), u64(key[1])];
  // `rot` above rotates right; SipHash rotates left by r, i.e. right by 64 - r.
  const v = [k0 ^ 0x736f6d6570736575n, k1 ^ 0x646f72616e646f6dn, k0 ^ 0x6c7967656e657261n, k1 ^ 0x7465646279746573n];
  const len = s.length;
  const full = len - (len % 8);
  for (let i = 0; i < full; i += 8) {
    const m = fetch64(s, i);
    v[3] ^= m;
    sipRound(v);
    sipRound(v);
    v[0] ^= m;
  }
  let last = BigInt(len & 0xff) << 56n;
  for (let i = len - 1; i >= full; i--) last |= BigInt(s[i]) << BigInt(8 * (i - full));
  v[3] ^= last;
  sipRound(v);
  sipRound(v);
  v[0] ^= last;
  v[2] ^= 0xffn;
  for (let r = 0; r < 4; r++) sipRound(v);
  return v[0] ^ v[1] ^ v[2] ^ v[3];
}

const encoder = new TextEncoder();

/** The UTF-8 bytes of a string (what TensorFlow hashes). */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * The hash bucket of a string, as TensorFlow's `to_hash_bucket_fast` (no salt: Fingerprint64) or
 * `to_hash_bucket_strong` (with a salt `[k0, k1]`: SipHash-2-4), modulo `buckets`.
 */
export function hashBucket(s: string, buckets: number, salt: readonly [number, number] | null): number {
  const bytes = utf8(s);
  const h = salt ? sipHash24([BigInt(salt[0]), BigInt(salt[1])], bytes) : fingerprint64(bytes);
  return Number(h % BigInt(buckets));
}
