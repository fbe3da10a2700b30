// Validation of declared weights: names, shapes, dtypes and the byte sizes they imply, all
// checked before a single byte is allocated for them.
import { ModelFileError, show } from './errors';
import { asArray, asObject, asString, isObject, own } from './read';
import type { WeightDType, WeightSpec, WeightsManifestGroup } from './types';

/** Bytes per element of each dtype a weight file may hold. */
export const BYTES_PER_ELEMENT: Record<WeightDType, number> = { float32: 4, int32: 4, bool: 1 };

/** The most values one weight may have (tfjs's limit for a tensor). */
export const MAX_WEIGHT_ELEMENTS = 2 ** 31 - 1;
/** The most bytes all weights of one file set may take together (2 GiB). */
export const MAX_TOTAL_BYTES = 2 ** 31 - 1;
/** The most dimensions a weight may have. */
export const MAX_RANK = 16;
/** The most weights one manifest may declare. */
export const MAX_WEIGHTS = 1_000_000;

const DTYPES = Object.keys(BYTES_PER_ELEMENT) as WeightDType[];

/** Number of values of a checked shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Bytes of one checked spec. */
export function specBytes(spec: WeightSpec): number {
  return elementCount(spec.shape) * BYTES_PER_ELEMENT[spec.dtype];
}

/** Bytes of a list of checked specs. */
export function totalBytes(specs: readonly WeightSpec[]): number {
  return specs.reduce((n, s) => n + specBytes(s), 0);
}

/** `[784, 10]` as messages print shapes. */
export function fmtShape(shape: readonly unknown[]): string {
  return `[${shape.map((d) => (typeof d === 'number' ? String(d) : show(d))).join(', ')}]`;
}

/**
 * One weight declaration, checked: a non-empty name, a shape of at most 16 integer dimensions
 * >= 0 whose product is at most 2^31 - 1, a known dtype, no quantization.
 */
export function checkWeightSpec(raw: unknown, where: string): WeightSpec {
  const o = asObject(raw, where);
  const name = asString(own(o, 'name'), `${where}.name`);
  const at = `${where} ("${name}")`;
  const shapeRaw = own(o, 'shape');
  if (!Array.isArray(shapeRaw)) throw new ModelFileError(`${at}: shape must be an array of integers >= 0, got ${show(shapeRaw)}`);
  if (shapeRaw.length > MAX_RANK) {
    throw new ModelFileError(`${at}: shape has ${shapeRaw.length} dimensions, at most ${MAX_RANK} are allowed`);
  }
  let count = 1;
  shapeRaw.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      const why = typeof d !== 'number' ? 'not a number' : Number.isNaN(d) ? 'NaN' : d < 0 ? 'negative' : 'not an integer';
      throw new ModelFileError(`${at}: shape ${fmtShape(shapeRaw)} has dimension ${i} = ${show(d)} (${why}); expected integers >= 0`);
    }
    count *= d;
    if (count > MAX_WEIGHT_ELEMENTS || d > MAX_WEIGHT_ELEMENTS) {
      throw new ModelFileError(
        `${at}: shape ${fmtShape(shapeRaw)} declares more than ${MAX_WEIGHT_ELEMENTS} values (2^31 - 1, the most a tensor may hold); refusing to allocate it`,
      );
    }
  });
  const dtype = own(o, 'dtype');
  if (typeof dtype !== 'string' || !(DTYPES as string[]).includes(dtype)) {
    throw new ModelFileError(`${at}: dtype must be one of ${DTYPES.join(', ')}, got ${show(dtype)}`);
  }
  const quantization = own(o, 'quantization');
  if (quantization !== undefined && quantization !== null) {
    const q = isObject(quantization) ? show(quantization.dtype) : show(quantization);
    throw new ModelFileError(`${at}: quantized weights (quantization dtype ${q}) are not supported; convert the model without quantization`);
  }
  const group = own(o, 'group');
  if (group !== undefined && group !== null && group !== 'model' && group !== 'optimizer') {
    throw new ModelFileError(`${at}: group must be "model" or "optimizer", got ${show(group)}`);
  }
  const spec: WeightSpec = { name, shape: shapeRaw as number[], dtype: dtype as WeightDType };
  if (group === 'model' || group === 'optimizer') spec.group = group;
  return spec;
}

/** A list of weight declarations, checked one by one, with unique names and a total under 2 GiB. */
export function checkWeightSpecs(raw: unknown, where: string): WeightSpec[] {
  const list = asArray(raw, where);
  if (list.length > MAX_WEIGHTS) throw new ModelFileError(`${where} declares ${list.length} weights, at most ${MAX_WEIGHTS} are allowed`);
  const specs = list.map((w, i) => checkWeightSpec(w, `${where}[${i}]`));
  checkUniqueAndTotal(specs, where);
  return specs;
}

function checkUniqueAndTotal(specs: WeightSpec[], where: string): void {
  const seen = new Set<string>();
  let bytes = 0;
  for (const s of specs) {
    if (seen.has(s.name)) throw new ModelFileError(`${where}: the weight name "${s.name}" appears twice; weight names must be unique`);
    seen.add(s.name);
    bytes += specBytes(s);
    if (bytes > MAX_TOTAL_BYTES) {
      throw new ModelFileError(`${where}: the weights declare more than ${MAX_TOTAL_BYTES} bytes (2 GiB) in all; refusing to allocate them`);
    }
  }
}

/**
 * A path inside the model's folder, as the manifest writes it: relative, `/`-separated, without
 * `..`, `.`-only or empty segments, backslashes, drive letters, URL schemes or control characters.
 * Anything else could read a file outside the folder (or a URL elsewhere), so it is refused.
 */
export function checkRelativePath(raw: unknown, where: string): string {
  const p = asString(raw, where);
  const bad = (why: string): never => {
    throw new ModelFileError(`${where}: weight path ${show(p)} ${why}; a weight path must be a file name inside the model's folder (e.g. "group1-shard1of1.bin")`);
  };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(p)) bad('contains control characters');
  if (p.includes('\\')) bad('contains a backslash');
  if (p.startsWith('/')) bad('is absolute');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p)) bad('has a scheme or drive letter');
  if (p.length > 1024) bad('is longer than 1024 characters');
  const parts = p.split('/');
  const rest = parts[0] === '.' ? parts.slice(1) : parts;
  if (rest.length === 0 || rest.some((s) => s === '' || s === '.' || s === '..')) {
    bad(rest.includes('..') ? 'leaves the folder ("..")' : 'has an empty or "." segment');
  }
  return rest.join('/');
}

/** `weightsManifest`, checked: groups of safe relative paths and valid, uniquely named weights. */
export function checkManifest(raw: unknown, where: string): WeightsManifestGroup[] {
  const groups = asArray(raw, where);
  const out: WeightsManifestGroup[] = groups.map((g, i) => {
    const o = asObject(g, `${where}[${i}]`);
    const paths = asArray(own(o, 'paths'), `${where}[${i}].paths`).map((p, j) => checkRelativePath(p, `${where}[${i}].paths[${j}]`));
    const weights = asArray(own(o, 'weights'), `${where}[${i}].weights`).map((w, j) => checkWeightSpec(w, `${where}[${i}].weights[${j}]`));
    if (weights.length > 0 && paths.length === 0) {
      throw new ModelFileError(`${where}[${i}] declares ${weights.length} weights but no files (paths is empty)`);
    }
    return { paths, weights };
  });
  const all = out.flatMap((g) => g.weights);
  if (all.length > MAX_WEIGHTS) throw new ModelFileError(`${where} declares ${all.length} weights, at most ${MAX_WEIGHTS} are allowed`);
  checkUniqueAndTotal(all, where);
  const paths = out.flatMap((g) => g.paths);
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup !== undefined) throw new ModelFileError(`${where}: the file "${dup}" is listed twice`);
  return out;
}
