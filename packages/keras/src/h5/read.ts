// An HDF5 file read into plain data (see tree.ts). Declared shapes, dtypes, sizes, nesting and
// object counts are checked before anything is allocated for them; anything else is refused with
// a ModelFileError that names the object.
import { ModelFileError } from '@neurona/models';
import {
  MAX_ATTRIBUTE_BYTES,
  MAX_COMPRESSION_RATIO,
  MAX_H5_DEPTH,
  MAX_H5_OBJECTS,
  MAX_RANK,
  MAX_WEIGHT_BYTES,
  MAX_WEIGHT_VALUES,
  RATIO_FREE_BYTES,
} from '../limits';
import { H5T, withHdf5 } from './runtime';
import type { H5DatasetHandle, H5Entity, H5FileHandle, H5GroupHandle, H5Metadata } from './runtime';
import type { H5AttrValue, H5Dataset, H5DType, H5Group } from './tree';

const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

function dtypeOf(m: H5Metadata, where: string): H5DType {
  if (m.vlen) throw new ModelFileError(`${where}: variable-length data is not a weight; expected float32 values`);
  if (m.type === H5T.FLOAT) {
    if (m.size === 4) return 'float32';
    if (m.size === 8) return 'float64';
    throw new ModelFileError(
      `${where}: ${m.size * 8}-bit floats (${m.size === 2 ? 'float16/bfloat16, mixed precision' : 'unusual'}) are not supported; ` +
        'neurona holds weights as float32 (save the model with float32 weights)',
    );
  }
  if (m.type === H5T.INTEGER) {
    if (m.size === 8) return 'int64';
    if (m.size === 4) return 'int32';
    if (m.size === 1) return m.signed ? 'int8' : 'uint8';
    throw new ModelFileError(`${where}: ${m.size * 8}-bit integers are not supported; expected float32, int32 or int64`);
  }
  throw new ModelFileError(`${where}: HDF5 type class ${m.type} (not a number) cannot be a weight; expected float32 values`);
}

function checkShape(raw: unknown, where: string): number[] {
  const shape = raw === null || raw === undefined ? [] : raw;
  if (!Array.isArray(shape) || shape.length > MAX_RANK || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    throw new ModelFileError(`${where}: shape ${JSON.stringify(raw)} is not a list of at most ${MAX_RANK} integers >= 0`);
  }
  let n = 1;
  for (const d of shape as number[]) {
    n *= d;
    if (n > MAX_WEIGHT_VALUES) {
      throw new ModelFileError(`${where}: shape [${(shape as number[]).join(', ')}] declares more than ${MAX_WEIGHT_VALUES} values; refusing to allocate it`);
    }
  }
  return shape as number[];
}

function attrValue(e: H5Entity, name: string, where: string): H5AttrValue {
  const m = e.attrs[name]?.metadata;
  if (!m) throw new ModelFileError(`${where}: attribute "${name}" cannot be read`);
  const count = Array.isArray(m.shape) ? m.shape.reduce((a, b) => a * b, 1) : 1;
  if (!m.vlen && count * m.size > MAX_ATTRIBUTE_BYTES) {
    throw new ModelFileError(`${where}: attribute "${name}" declares ${count * m.size} bytes, more than the ${MAX_ATTRIBUTE_BYTES} allowed`);
  }
  if (m.type !== H5T.STRING && m.type !== H5T.INTEGER && m.type !== H5T.FLOAT) {
    throw new ModelFileError(`${where}: attribute "${name}" has HDF5 type class ${m.type}; expected text or numbers`);
  }
  const v = e.get_attribute(name, true);
  const scalar = (x: unknown): string | number => {
    if (typeof x === 'string') return x;
    if (typeof x === 'number') return x;
    if (typeof x === 'bigint') return Number(x);
    if (typeof x === 'boolean') return x ? 1 : 0;
    throw new ModelFileError(`${where}: attribute "${name}" holds ${typeof x}; expected text or numbers`);
  };
  if (Array.isArray(v)) {
    const items = v.flat(MAX_RANK).map(scalar);
    if (items.every((x) => typeof x === 'string')) return items as string[];
    if (items.every((x) => typeof x === 'number')) return items as number[];
    throw new ModelFileError(`${where}: attribute "${name}" mixes text and numbers`);
  }
  return scalar(v);
}

function attrsOf(e: H5Entity, where: string): Record<string, H5AttrValue> {
  const out: Record<string, H5AttrValue> = Object.create(null) as Record<string, H5AttrValue>;
  for (const name of Object.keys(e.attrs)) {
    if (FORBIDDEN_NAMES.has(name)) throw new ModelFileError(`${where}: attribute name "${name}" is not allowed`);
    out[name] = attrValue(e, name, where);
  }
  return out;
}

function toMemory(dtype: H5DType, raw: unknown, count: number, where: string): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'float32' || dtype === 'float64') {
    const src = raw as ArrayLike<number> | number;
    const out = new Float32Array(count);
    if (typeof src === 'number') out[0] = src;
    else out.set(src as ArrayLike<number>);
    return out;
  }
  if (dtype === 'uint8' || dtype === 'bool') {
    const out = new Uint8Array(count);
    if (typeof raw === 'number') out[0] = raw;
    else out.set(raw as ArrayLike<number>);
    return out;
  }
  const out = new Int32Array(count);
  const values: ArrayLike<number | bigint> = typeof raw === 'number' || typeof raw === 'bigint' ? [raw] : (raw as ArrayLike<number | bigint>);
  for (let i = 0; i < count; i++) {
    const x = Number(values[i]);
    if (!Number.isSafeInteger(x) || x > 2 ** 31 - 1 || x < -(2 ** 31)) {
      throw new ModelFileError(`${where}: integer value ${String(values[i])} does not fit in int32`);
    }
    out[i] = x;
  }
  return out;
}

interface Walk {
  objects: number;
  declaredBytes: number;
  fileBytes: number;
}

function readDataset(d: H5DatasetHandle, where: string, walk: Walk): H5Dataset {
  const m = d.metadata;
  const dtype = dtypeOf(m, where);
  const shape = checkShape(d.shape, where);
  const count = shape.reduce((a, b) => a * b, 1);
  walk.declaredBytes += count * m.size;
  if (walk.declaredBytes > MAX_WEIGHT_BYTES) {
    throw new ModelFileError(`${where}: the datasets declare more than ${MAX_WEIGHT_BYTES} bytes in all; refusing to allocate them`);
  }
  if (walk.declaredBytes > RATIO_FREE_BYTES && walk.declaredBytes > walk.fileBytes * MAX_COMPRESSION_RATIO) {
    throw new ModelFileError(
      `${where}: the datasets declare ${walk.declaredBytes} bytes in a file of ${walk.fileBytes}; ` +
        `more than ${MAX_COMPRESSION_RATIO} times its size is refused (a decompression bomb or a corrupt shape)`,
    );
  }
  const attrs = attrsOf(d, where);
  const raw = count === 0 ? [] : d.value;
  if (count > 0 && (raw === null || raw === undefined)) throw new ModelFileError(`${where}: its values cannot be read`);
  const len = typeof raw === 'number' || typeof raw === 'bigint' ? 1 : (raw as ArrayLike<unknown>).length;
  if (len !== count) throw new ModelFileError(`${where}: declares ${count} values, holds ${len}`);
  return { kind: 'dataset', shape, dtype, values: toMemory(dtype, raw, count, where), attrs };
}

function readGroup(g: H5GroupHandle, where: string, depth: number, walk: Walk): H5Group {
  if (depth > MAX_H5_DEPTH) throw new ModelFileError(`${where}: groups nested more than ${MAX_H5_DEPTH} deep`);
  const out: H5Group = { kind: 'group', attrs: attrsOf(g, where), children: new Map() };
  for (const key of g.keys()) {
    if (++walk.objects > MAX_H5_OBJECTS) throw new ModelFileError(`the file has more than ${MAX_H5_OBJECTS} objects`);
    if (FORBIDDEN_NAMES.has(key)) throw new ModelFileError(`${where}: an object named "${key}" is not allowed`);
    const path = where === '/' ? `/${key}` : `${where}/${key}`;
    const child = g.get(key);
    if (!child) throw new ModelFileError(`${path}: a link to nothing (external or broken links are not followed)`);
    if (child.type === 'Group') out.children.set(key, readGroup(child as H5GroupHandle, path, depth + 1, walk));
    else if (child.type === 'Dataset') out.children.set(key, readDataset(child as H5DatasetHandle, path, walk));
    else throw new ModelFileError(`${path}: a ${child.type} is not expected in a Keras file`);
  }
  return out;
}

/** Every group, attribute and dataset of an HDF5 file, checked and decoded. */
export async function readH5(bytes: Uint8Array, what: string): Promise<H5Group> {
  if (bytes.byteLength < 8 || !isHdf5(bytes)) throw new ModelFileError(`${what} is not an HDF5 file (no HDF5 signature at its start)`);
  const walk: Walk = { objects: 0, declaredBytes: 0, fileBytes: bytes.byteLength };
  const { result } = await withHdf5(bytes, 'r', what, (f: H5FileHandle) => readGroup(f, '/', 0, walk));
  return result;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when the bytes start with HDF5's signature (files with a user block are not supported). */
export function isHdf5(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}
