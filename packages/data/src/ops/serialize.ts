import { describeData } from '@neurona/common';
// The on-disk form of one element for cache({ file }): a JSON description of the structure
// followed by the raw bytes of its tensors, TensorBuffers and typed arrays.
import { buffer, tensor, type DataType, type Tensor } from '@neurona/tensor';
import { forEachTensor } from '../element';
import { isPlainObject, isTensor, isTensorBuffer, isTypedArray } from '../guards';
import type { TypedArray } from '../types';

type Node = null | boolean | number | string | Node[] | { [key: string]: Node };

const TYPED: Record<string, new (b: ArrayBuffer) => TypedArray> = {
  Float32Array,
  Float64Array,
  Int32Array,
  Int16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Uint16Array,
  Uint32Array,
};

const HOST: Record<string, new (b: ArrayBuffer) => TypedArray> = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };

function bytesOf(values: ArrayLike<number>, dtype: string): Uint8Array {
  const Ctor = HOST[dtype];
  if (!Ctor) throw new Error(`cache({ file }): cannot store dtype ${dtype}`);
  const typed = values instanceof Ctor ? values : (Ctor as unknown as { from(v: ArrayLike<number>): TypedArray }).from(values);
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

/** The bytes of one element (tensor values are read with `await data()`). */
export async function encodeElement(element: unknown): Promise<Uint8Array> {
  const tensors: Tensor[] = [];
  forEachTensor(element, (t) => tensors.push(t));
  const data = new Map<Tensor, unknown>();
  await Promise.all(tensors.map(async (t) => data.set(t, await t.data())));
  const blobs: Uint8Array[] = [];
  const blob = (b: Uint8Array): number => blobs.push(b) - 1;
  const enc = (v: unknown): Node => {
    if (isTensor(v)) {
      const values = data.get(v) as ArrayLike<number> | string[];
      if (v.dtype === 'string') return { $: 't', d: v.dtype, s: v.shape, v: Array.from(values as string[]) };
      return { $: 't', d: v.dtype, s: v.shape, b: blob(bytesOf(values as ArrayLike<number>, v.dtype)) };
    }
    if (isTensorBuffer(v)) {
      if (v.dtype === 'string') return { $: 'b', d: v.dtype, s: [...v.shape], v: Array.from(v.values as ArrayLike<string>) };
      return { $: 'b', d: v.dtype, s: [...v.shape], b: blob(bytesOf(v.values as ArrayLike<number>, v.dtype)) };
    }
    if (isTypedArray(v)) return { $: 'a', k: v.constructor.name, b: blob(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    if (typeof v === 'number') return Number.isFinite(v) ? v : { $: 'n', v: String(v) };
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (v === undefined) return { $: 'u' };
    if (Array.isArray(v)) return v.map(enc);
    if (isPlainObject(v)) return { $: 'o', v: Object.fromEntries(Object.keys(v).map((k) => [k, enc(v[k])])) };
    throw new Error(`cache({ file }): cannot store ${describeData(v)} in a file; elements may hold tensors, TensorBuffers, typed arrays, numbers, booleans, strings, arrays and plain objects`);
  };
  const json = new TextEncoder().encode(JSON.stringify({ e: enc(element), n: blobs.map((b) => b.byteLength) }));
  const total = 4 + json.byteLength + blobs.reduce((a, b) => a + b.byteLength, 0);
  const out = new Uint8Array(4 + total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total, true);
  view.setUint32(4, json.byteLength, true);
  out.set(json, 8);
  let off = 8 + json.byteLength;
  for (const b of blobs) {
    out.set(b, off);
    off += b.byteLength;
  }
  return out;
}

/** The element of a record made by `encodeElement` (without its 4-byte length prefix). */
export function decodeElement(record: Uint8Array): unknown {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const jsonLength = view.getUint32(0, true);
  const { e, n } = JSON.parse(new TextDecoder().decode(record.subarray(4, 4 + jsonLength))) as { e: Node; n: number[] };
  const starts: number[] = [];
  let off = 4 + jsonLength;
  for (const len of n) {
    starts.push(off);
    off += len;
  }
  // a copy per blob: aligned for its typed array, and independent of the read buffer (a Node
  // Buffer's slice() would be a view of a shared pool, hence the Uint8Array constructor)
  const bytes = (i: number): ArrayBuffer => new Uint8Array(record.subarray(starts[i], starts[i] + n[i])).buffer as ArrayBuffer;
  const dec = (v: Node): unknown => {
    if (Array.isArray(v)) return v.map(dec);
    if (v === null || typeof v !== 'object') return v;
    switch (v.$) {
      case 't':
        return v.d === 'string' ? tensor(v.v as string[], v.s as number[], 'string') : tensor(new HOST[v.d as string](bytes(v.b as number)), v.s as number[], v.d as DataType);
      case 'b':
        return buffer(v.s as number[], v.d as 'float32', (v.d === 'string' ? v.v : new HOST[v.d as string](bytes(v.b as number))) as Float32Array);
      case 'a':
        return new TYPED[v.k as string](bytes(v.b as number));
      case 'n':
        return Number(v.v);
      case 'u':
        return undefined;
      case 'o':
        return Object.fromEntries(Object.entries(v.v as Record<string, Node>).map(([k, x]) => [k, dec(x)]));
      default:
        throw new Error(`cache({ file }): unreadable record (unknown tag ${String(v.$)})`);
    }
  };
  return dec(e);
}
