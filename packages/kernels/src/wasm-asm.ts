// A tiny WebAssembly assembler: just enough to emit the fast kernels' module at run time, so no
// wasm toolchain is needed to build neurona and the kernels' source stays readable TypeScript.

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof V128;

/** Builds one function body. Locals are numbered after the parameters. */
export class Fn {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(readonly params: ValType[], readonly results: ValType[] = []) {}

  /** Declare a local; returns its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }

  emit(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  // control
  block(): this { return this.emit(0x02, 0x40); }
  loop(): this { return this.emit(0x03, 0x40); }
  ifThen(): this { return this.emit(0x04, 0x40); }
  /** `if` with an `orElse()` branch (same encoding as ifThen; the name says an else follows). */
  ifElse(): this { return this.emit(0x04, 0x40); }
  orElse(): this { return this.emit(0x05); }
  end(): this { return this.emit(0x0b); }
  br(depth: number): this { return this.emit(0x0c, ...uleb(depth)); }
  brIf(depth: number): this { return this.emit(0x0d, ...uleb(depth)); }
  // variables
  get(i: number): this { return this.emit(0x20, ...uleb(i)); }
  set(i: number): this { return this.emit(0x21, ...uleb(i)); }
  tee(i: number): this { return this.emit(0x22, ...uleb(i)); }
  // i32
  i32(v: number): this { return this.emit(0x41, ...sleb(v)); }
  add(): this { return this.emit(0x6a); }
  sub(): this { return this.emit(0x6b); }
  mul(): this { return this.emit(0x6c); }
  shl(): this { return this.emit(0x74); }
  geU(): this { return this.emit(0x4f); }
  eqz(): this { return this.emit(0x45); }
  ltS(): this { return this.emit(0x48); }
  geS(): this { return this.emit(0x4e); }
  or(): this { return this.emit(0x72); }
  divU(): this { return this.emit(0x6e); }
  remU(): this { return this.emit(0x70); }
  // memory (align is log2 of the byte alignment)
  f32Load(offset = 0): this { return this.emit(0x2a, 2, ...uleb(offset)); }
  f32Store(offset = 0): this { return this.emit(0x38, 2, ...uleb(offset)); }
  i32Load(offset = 0): this { return this.emit(0x28, 2, ...uleb(offset)); }
  f32Add(): this { return this.emit(0x92); }
  /** memory.copy (dst, src, bytes on the stack). */
  memoryCopy(): this { return this.emit(0xfc, 0x0a, 0x00, 0x00); }
  /** memory.fill (dst, byte value, bytes on the stack). */
  memoryFill(): this { return this.emit(0xfc, 0x0b, 0x00); }
  // simd
  private simd(op: number, ...rest: number[]): this { return this.emit(0xfd, ...uleb(op), ...rest); }
  v128Load(offset = 0): this { return this.simd(0x00, 4, ...uleb(offset)); }
  v128Store(offset = 0): this { return this.simd(0x0b, 4, ...uleb(offset)); }
  v128Load32Splat(offset = 0): this { return this.simd(0x09, 2, ...uleb(offset)); }
  v128Zero(): this { return this.simd(0x0c, ...Array.from({ length: 16 }, () => 0)); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Mul(): this { return this.simd(0xe6); }
  f32x4Max(): this { return this.simd(0xe9); }
  /**
   * f32x4.relaxed_madd (relaxed SIMD): a·b + c of the three f32x4 on the stack (a, b, c), one
   * fused multiply-add where the CPU has FMA (rounded once), else a multiply then an add.
   */
  f32x4RelaxedMadd(): this { return this.simd(0x105); }

  /** The body as the code section encodes it (size-prefixed). */
  encode(): number[] {
    const groups: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = [...uleb(groups.length), ...groups.flatMap(([n, t]) => [...uleb(n), t]), ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

/** A module importing `env.memory` (shared when `shared`) and exporting the given functions. */
export function assemble(funcs: Record<string, Fn>, memory: { initial: number; maximum: number; shared: boolean }): Uint8Array<ArrayBuffer> {
  const entries = Object.entries(funcs);
  const types = entries.map(([, f]) => [0x60, ...uleb(f.params.length), ...f.params, ...uleb(f.results.length), ...f.results]);
  const limits = [memory.shared ? 0x03 : 0x01, ...uleb(memory.initial), ...uleb(memory.maximum)];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(types.length), ...types.flat()]),
    ...section(2, [...uleb(1), ...name('env'), ...name('memory'), 0x02, ...limits]),
    ...section(3, [...uleb(entries.length), ...entries.map((_, i) => uleb(i)).flat()]),
    ...section(7, [...uleb(entries.length), ...entries.flatMap(([n], i) => [...name(n), 0x00, ...uleb(i)])]),
    ...section(10, [...uleb(entries.length), ...entries.flatMap(([, f]) => f.encode())]),
  ];
  return new Uint8Array(bytes);
}
