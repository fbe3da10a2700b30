// The opcodes the recurrent gate module needs on top of wasm-asm.ts's, in a subclass that lives
// in the lazily loaded chunk with the module (recurrent-module.ts), so the code every page loads
// does not grow with them.
import { Fn, uleb } from './wasm-asm';

/** Fn with the SIMD and scalar f32 instructions of the gate passes. */
export class SimdFn extends Fn {
  private op(code: number, ...rest: number[]): this {
    return this.emit(0xfd, ...uleb(code), ...rest);
  }

  /** v128.const of four equal f32 lanes. */
  f32x4Const(v: number): this {
    const b = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
    return this.op(0x0c, ...b);
  }
  f32x4Sub(): this { return this.op(0xe5); }
  f32x4Div(): this { return this.op(0xe7); }
  f32x4Min(): this { return this.op(0xe8); }
  f32x4Abs(): this { return this.op(0xe0); }
  f32x4Neg(): this { return this.op(0xe1); }
  f32x4Nearest(): this { return this.op(0x6a); }
  f32x4Lt(): this { return this.op(0x43); }
  f32x4Gt(): this { return this.op(0x44); }
  f32x4Ge(): this { return this.op(0x46); }
  /** f32x4.pmax(a, b) = a < b ? b : a (no NaN propagation: pmax(0, NaN) is 0, as `x > 0 ? x : 0`). */
  f32x4Pmax(): this { return this.op(0xeb); }
  /** f32x4.pmin(a, b) = b < a ? b : a (a NaN in a is kept). */
  f32x4Pmin(): this { return this.op(0xea); }
  f32x4Splat(): this { return this.op(0x13); }
  i32x4TruncSatF32x4S(): this { return this.op(0xf8); }
  i32x4Add(): this { return this.op(0xae); }
  /** i32x4.shl by an i32 count on the stack. */
  i32x4Shl(): this { return this.op(0xab); }
  i32x4Splat(): this { return this.op(0x11); }
  v128And(): this { return this.op(0x4e); }
  v128AndNot(): this { return this.op(0x4f); }
  v128Or(): this { return this.op(0x50); }
  v128Xor(): this { return this.op(0x51); }
  /** v128.bitselect(a, b, mask): bits of a where mask is 1, of b elsewhere. */
  v128Bitselect(): this { return this.op(0x52); }
  f32Ne(): this { return this.emit(0x5c); }
  f32Const(v: number): this { return this.emit(0x43, ...new Uint8Array(new Float32Array([v]).buffer)); }
}
