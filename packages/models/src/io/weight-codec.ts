// Tensors to bytes and back, in tfjs's layout: each weight's values back to back, little-endian,
// float32/int32 4 bytes per value, bool 1 byte.
import { tensor } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { ModelFileError } from './errors';
import { BYTES_PER_ELEMENT, elementCount, specBytes, totalBytes } from './weight-specs';
import type { WeightDType, WeightSpec } from './types';

/** A tensor to save under a name. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

function asWeightDType(t: Tensor, name: string): WeightDType {
  if (t.dtype === 'float32' || t.dtype === 'int32' || t.dtype === 'bool') return t.dtype;
  throw new Error(`save: weight "${name}" has dtype ${t.dtype}; only float32, int32 and bool weights can be saved`);
}

/** The specs and bytes of a list of named tensors (the tensors are read, not disposed). */
export async function encodeWeights(named: readonly NamedTensor[]): Promise<{ specs: WeightSpec[]; data: ArrayBuffer }> {
  const specs: WeightSpec[] = named.map(({ name, tensor: t }) => ({ name, shape: [...t.shape], dtype: asWeightDType(t, name) }));
  const out = new Uint8Array(totalBytes(specs));
  let offset = 0;
  for (let i = 0; i < named.length; i++) {
    const values = await named[i].tensor.data();
    const bytes = specs[i].dtype === 'bool'
      ? Uint8Array.from(values as ArrayLike<number>)
      : new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    out.set(bytes, offset);
    offset += specBytes(specs[i]);
  }
  return { specs, data: out.buffer };
}

/** One buffer from tfjs's `WeightData` (a buffer or a list of them). */
export function concatBuffers(data: ArrayBuffer | readonly ArrayBuffer[]): ArrayBuffer {
  if (!Array.isArray(data)) return data as ArrayBuffer;
  const list = data as readonly ArrayBuffer[];
  if (list.length === 1) return list[0];
  const out = new Uint8Array(list.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of list) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/** Where each weight's bytes start in the data; the data must hold exactly what the specs declare. */
export function weightOffsets(specs: readonly WeightSpec[], data: ArrayBuffer, what: string): Map<string, { spec: WeightSpec; offset: number }> {
  const expected = totalBytes(specs);
  if (!(data instanceof ArrayBuffer)) throw new ModelFileError(`${what}: expected the weight bytes as an ArrayBuffer, got ${typeof data}`);
  if (data.byteLength !== expected) {
    throw new ModelFileError(
      `${what}: the weight data has ${data.byteLength} bytes but the manifest declares ${expected} ` +
        `(${specs.length} weights); the file is ${data.byteLength < expected ? 'truncated' : 'longer than declared'}`,
    );
  }
  const map = new Map<string, { spec: WeightSpec; offset: number }>();
  let offset = 0;
  for (const spec of specs) {
    map.set(spec.name, { spec, offset });
    offset += specBytes(spec);
  }
  return map;
}

/** A new tensor from the bytes of one checked spec at `offset` (copied, so alignment never matters). */
export function decodeWeight(spec: WeightSpec, data: ArrayBuffer, offset: number): Tensor {
  const n = elementCount(spec.shape);
  const bytes = data.slice(offset, offset + n * BYTES_PER_ELEMENT[spec.dtype]);
  const values = spec.dtype === 'float32' ? new Float32Array(bytes) : spec.dtype === 'int32' ? new Int32Array(bytes) : new Uint8Array(bytes);
  return tensor(values, spec.shape, spec.dtype);
}
