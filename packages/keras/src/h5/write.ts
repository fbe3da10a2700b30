// Plain data (tree.ts) to HDF5 bytes, as h5py writes them for Keras: groups, string attributes
// (variable-length UTF-8), and float32/int32/int64 datasets.
import { withHdf5 } from './runtime';
import type { H5GroupHandle } from './runtime';
import type { H5AttrValue, H5Dataset, H5Group } from './tree';

/** A dataset to write; `int64` stores the values as 64-bit integers (Keras's iteration counter). */
export interface H5WriteDataset extends Omit<H5Dataset, 'dtype'> {
  dtype: 'float32' | 'int32' | 'int64';
}

function writeAttrs(target: { create_attribute(n: string, d: unknown, s?: number[] | null, t?: string | null): void }, attrs: Record<string, H5AttrValue>): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (Array.isArray(v) && v.length === 0) {
      // h5py writes an empty list as an empty float64 array (Keras's weight_names of a layer without weights)
      target.create_attribute(k, new Float64Array(0), [0], '<d');
    } else {
      target.create_attribute(k, v);
    }
  }
}

function writeGroup(g: H5GroupHandle, tree: H5Group | { kind: 'group'; attrs: Record<string, H5AttrValue>; children: Map<string, unknown> }): void {
  writeAttrs(g, tree.attrs);
  for (const [name, child] of tree.children as Map<string, H5Group | H5WriteDataset>) {
    if (child.kind === 'group') {
      writeGroup(g.create_group(name), child);
    } else {
      const { shape, dtype, values } = child;
      const data = dtype === 'int64' ? BigInt64Array.from(values as Int32Array, (x) => BigInt(x)) : values;
      const ds = g.create_dataset({ name, data, shape, dtype: dtype === 'float32' ? '<f' : dtype === 'int32' ? '<i' : '<q' });
      writeAttrs(ds, child.attrs);
    }
  }
}

/** The bytes of an HDF5 file holding `tree`. */
export async function writeH5(tree: H5Group | { kind: 'group'; attrs: Record<string, H5AttrValue>; children: Map<string, unknown> }, what: string): Promise<Uint8Array> {
  const { bytes } = await withHdf5(null, 'w', what, (f) => writeGroup(f, tree));
  return bytes as Uint8Array;
}
