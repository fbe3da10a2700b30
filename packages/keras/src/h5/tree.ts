// An HDF5 file as plain data: groups with attributes, and datasets already decoded. Reading
// checks everything before it allocates; writing builds a file from the same shape.

/** The element types neurona reads from HDF5 weights (wider integers and floats are narrowed). */
export type H5DType = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'int8' | 'bool';

/** An attribute value: a string, a list of strings, a number or a list of numbers. */
export type H5AttrValue = string | string[] | number | number[];

/** A dataset: its shape, its dtype in the file, and its values (float32 or int32 in memory). */
export interface H5Dataset {
  kind: 'dataset';
  shape: number[];
  /** The element type the file stores. */
  dtype: H5DType;
  values: Float32Array | Int32Array | Uint8Array;
  attrs: Record<string, H5AttrValue>;
}

/** A group: attributes and named children, in the file's (alphabetical) order. */
export interface H5Group {
  kind: 'group';
  attrs: Record<string, H5AttrValue>;
  children: Map<string, H5Group | H5Dataset>;
}

/** A new empty group. */
export function group(attrs: Record<string, H5AttrValue> = {}): H5Group {
  return { kind: 'group', attrs, children: new Map() };
}

/** The child group `name` of `g`, created when missing. */
export function subgroup(g: H5Group, name: string): H5Group {
  const c = g.children.get(name);
  if (c && c.kind === 'group') return c;
  const n = group();
  g.children.set(name, n);
  return n;
}

/** The object at a `/`-separated path below `root`, or undefined. */
export function at(root: H5Group, path: string): H5Group | H5Dataset | undefined {
  let node: H5Group | H5Dataset = root;
  for (const part of path.split('/').filter((p) => p.length > 0)) {
    if (node.kind !== 'group') return undefined;
    const next: H5Group | H5Dataset | undefined = node.children.get(part);
    if (!next) return undefined;
    node = next;
  }
  return node;
}
