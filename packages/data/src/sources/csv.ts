import { describeData, checkOptionTypes } from '@neurona/common';
// csv(): a dataset of the rows of a CSV file, read as a stream (never the whole file at once).
import { Dataset } from '../dataset';

import { openByteSource, type ByteSource, type Chunk } from './byte-source';
import { parseCsv, type CsvRecord } from './csv-parser';

/** The type of a CSV column's values. */
export type CsvColumnType = 'float32' | 'int32' | 'bool' | 'string';

/** A value of a CSV row: a number (float32 and int32 columns), a boolean or a string. */
export type CsvValue = number | boolean | string;

/** A CSV row as an object: column name → value. */
export type CsvRow = Record<string, CsvValue>;

/** A row that `csv` could not read, as `onBadRow` receives it. */
export interface CsvBadRow {
  /** The line the row starts on (1-based, counting the header). */
  line: number;
  /** The row's fields as read. */
  fields: string[];
  /** What is wrong, with the line number: the message an error would have. */
  message: string;
}

/** Options of `csv`. */
export interface CsvOptions {
  /** Whether the first line holds the column names (default true). */
  header?: boolean;
  /** The column names: required without a header (default `column0`, `column1`, ...), or to rename a header's. */
  columnNames?: readonly string[];
  /** The field delimiter, one character (default `','`; `'\t'` for TSV). */
  delimiter?: string;
  /**
   * The type of each column; a column not named here is `float32` if its value in the first row
   * is a number, else `string`. int32 values must be integers; bool values are true/false/1/0.
   */
  columnTypes?: Readonly<Record<string, CsvColumnType>>;
  /** Values that replace empty fields (missing values); without one a missing value is a bad row. */
  columnDefaults?: Readonly<Record<string, CsvValue>>;
  /**
   * The label columns: each element is then `{ x, y }` with the labels in `y` (the value itself
   * for one label column, an object or array of them for several).
   */
  labelColumns?: readonly string[];
  /** The feature columns to keep, in this order (default: every column that is not a label). */
  selectColumns?: readonly string[];
  /**
   * `'record'` (default): features as an object by column name. `'array'`: features (and several
   * labels) as one Float32Array in column order; every such column must be numeric or bool.
   */
  features?: 'record' | 'array';
  /**
   * What to do with a row that has the wrong number of fields, a missing value or a value of the
   * wrong type: `'error'` (default, the error names the line), `'skip'`, or a function that gets
   * the problem (the row is then skipped).
   */
  onBadRow?: 'error' | 'skip' | ((bad: CsvBadRow) => void);
  /** The text encoding of byte input (default utf-8). */
  encoding?: string;
}

/** The element type `csv` gives for options `O`. */
export type CsvElement<O extends CsvOptions> = O extends { labelColumns: readonly [string] }
  ? { x: CsvFeatures<O>; y: CsvValue }
  : O extends { labelColumns: readonly string[] }
    ? { x: CsvFeatures<O>; y: O extends { features: 'array' } ? Float32Array | CsvValue : CsvRow | CsvValue }
    : CsvFeatures<O>;

/** The features of a CSV element for options `O`. */
export type CsvFeatures<O extends CsvOptions> = O extends { features: 'array' } ? Float32Array : CsvRow;

/** The kinds of `csv` source: a path, URL, text (a string with a line break), `{ text }`, Blob, bytes, stream. */
export type CsvSource = ByteSource | { text: string };

class BadRow extends Error {}

interface Plan {
  names: string[];
  types: CsvColumnType[];
  features: number[]; // column indices
  labels: number[];
}

async function* single(text: string): AsyncGenerator<string> {
  yield text;
}

async function* decodeChunks(chunks: AsyncIterable<Chunk>, encoding: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for await (const c of chunks) yield typeof c === 'string' ? c : decoder.decode(c, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

function inferType(value: string): CsvColumnType {
  const v = value.trim();
  return v !== '' && (!Number.isNaN(Number(v)) || v.toLowerCase() === 'nan') ? 'float32' : 'string';
}

function parseValue(raw: string, type: CsvColumnType, column: string, line: number, name: string, defaults: Readonly<Record<string, CsvValue>>): CsvValue {
  const v = type === 'string' ? raw : raw.trim();
  if (v === '') {
    if (column in defaults) return defaults[column];
    throw new BadRow(`${name} line ${line}: missing value in column '${column}' (expected ${type === 'string' ? 'a string' : `a ${type} value`}); give columnDefaults: { '${column}': ... } to fill it, or onBadRow: 'skip'`);
  }
  if (type === 'string') return v;
  if (type === 'bool') {
    const l = v.toLowerCase();
    if (l === 'true' || l === '1') return true;
    if (l === 'false' || l === '0') return false;
    throw new BadRow(`${name} line ${line}: column '${column}' expected a bool value (true/false/1/0), found ${JSON.stringify(raw)}`);
  }
  const n = Number(v);
  if (Number.isNaN(n) && v.toLowerCase() !== 'nan') throw new BadRow(`${name} line ${line}: column '${column}' expected a ${type} number, found ${JSON.stringify(raw)}`);
  if (type === 'int32' && !(Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31)) {
    throw new BadRow(`${name} line ${line}: column '${column}' expected an int32 integer, found ${JSON.stringify(raw)}`);
  }
  return n;
}

function checkNames(who: string, names: readonly string[], list: readonly string[] | undefined, what: string): number[] {
  if (list === undefined) return [];
  return list.map((c) => {
    const i = names.indexOf(c);
    if (i < 0) throw new Error(`${who}: ${what} names '${c}', which is not a column; the columns are ${names.join(', ')}`);
    return i;
  });
}

function makePlan(who: string, names: string[], firstRow: string[], options: CsvOptions): Plan {
  const types = names.map((n, i) => options.columnTypes?.[n] ?? inferType(firstRow[i] ?? ''));
  const labels = checkNames(who, names, options.labelColumns, 'labelColumns');
  if (options.labelColumns && labels.length === 0) throw new Error(`${who}: labelColumns is empty; name at least one column or leave it out`);
  const features = options.selectColumns ? checkNames(who, names, options.selectColumns, 'selectColumns') : names.map((_, i) => i).filter((i) => !labels.includes(i));
  if (options.features === 'array') {
    for (const i of [...features, ...(labels.length > 1 ? labels : [])]) {
      if (types[i] === 'string') {
        throw new Error(`${who}: features: 'array' needs numeric columns, but '${names[i]}' is a string column (its first value is ${JSON.stringify(firstRow[i])}); set columnTypes: { '${names[i]}': 'float32' } or use features: 'record'`);
      }
    }
  }
  return { names, types, features, labels };
}

function buildElement(plan: Plan, values: CsvValue[], options: CsvOptions): unknown {
  const asArray = options.features === 'array';
  const pack = (cols: number[]): Float32Array | CsvRow => {
    if (asArray) {
      const a = new Float32Array(cols.length);
      for (let j = 0; j < cols.length; j++) a[j] = Number(values[cols[j]]);
      return a;
    }
    const r: CsvRow = {};
    for (const c of cols) r[plan.names[c]] = values[c];
    return r;
  };
  const x = pack(plan.features);
  if (plan.labels.length === 0) return x;
  return { x, y: plan.labels.length === 1 ? values[plan.labels[0]] : pack(plan.labels) };
}

function checkCsvOptions(who: string, options: CsvOptions): void {
  checkOptionTypes(who, options, {
    header: 'boolean',
    columnNames: 'array',
    delimiter: 'string',
    columnTypes: 'object',
    columnDefaults: 'object',
    labelColumns: 'array',
    selectColumns: 'array',
    features: 'string',
    onBadRow: ['string', 'function'],
    encoding: 'string',
  });
  const d = options.delimiter ?? ',';
  if (typeof d !== 'string' || d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new Error(`${who}: delimiter must be one character other than a quote or a line break, got ${describeData(d)}`);
  }
  for (const [c, t] of Object.entries(options.columnTypes ?? {})) {
    if (!['float32', 'int32', 'bool', 'string'].includes(t)) throw new Error(`${who}: columnTypes['${c}'] must be 'float32', 'int32', 'bool' or 'string', got ${describeData(t)}`);
  }
  if (options.features !== undefined && options.features !== 'record' && options.features !== 'array') {
    throw new Error(`${who}: features must be 'record' or 'array', got ${describeData(options.features)}`);
  }
  const bad = options.onBadRow;
  if (bad !== undefined && bad !== 'error' && bad !== 'skip' && typeof bad !== 'function') {
    throw new Error(`${who}: onBadRow must be 'error', 'skip' or a function, got ${describeData(bad)}`);
  }
  if (options.header === false && options.columnNames === undefined) return;
  if (options.columnNames !== undefined && (!Array.isArray(options.columnNames) || options.columnNames.some((n) => typeof n !== 'string'))) {
    throw new Error(`${who}: columnNames must be an array of strings, got ${describeData(options.columnNames)}`);
  }
}

async function* rows(records: AsyncIterable<CsvRecord>, options: CsvOptions, label: string, who: string): AsyncGenerator<unknown> {
  let names: string[] | null = options.columnNames ? [...options.columnNames] : null;
  let headerPending = options.header ?? true;
  let plan: Plan | null = null;
  const defaults = options.columnDefaults ?? {};
  for await (const rec of records) {
    if (headerPending) {
      headerPending = false;
      names ??= rec.fields.map((f) => f.trim());
      const dup = names.find((n, i) => names?.indexOf(n) !== i);
      if (dup !== undefined) throw new Error(`${label} line ${rec.line}: the header names the column '${dup}' twice; column names must be unique (or give columnNames)`);
      continue;
    }
    names ??= rec.fields.map((_, i) => `column${i}`);
    try {
      if (rec.fields.length !== names.length) {
        throw new BadRow(`${label} line ${rec.line}: expected ${names.length} fields (${names.join(', ')}), found ${rec.fields.length}`);
      }
      plan ??= makePlan(who, names, rec.fields, options);
      const p = plan;
      const values: CsvValue[] = Array.from({ length: names.length }, () => '');
      for (const c of [...p.features, ...p.labels]) values[c] = parseValue(rec.fields[c], p.types[c], p.names[c], rec.line, label, defaults);
      yield buildElement(p, values, options);
    } catch (err) {
      if (!(err instanceof BadRow)) throw err;
      const policy = options.onBadRow ?? 'error';
      if (policy === 'error') throw err;
      if (typeof policy === 'function') policy({ line: rec.line, fields: rec.fields, message: err.message });
    }
  }
}

/**
 * A dataset of the rows of a CSV file, read as a stream: from a path (Node), a URL, a string
 * holding the text (one with a line break; or `{ text }`), a Blob/File, bytes, a stream, or a
 * function that opens a stream. Quoted fields follow RFC 4180. A row that cannot be read (wrong
 * number of fields, missing value, wrong type) is an error naming its line, unless `onBadRow`
 * says otherwise. Elements are row objects, or `{ x, y }` with `labelColumns`; `features:
 * 'array'` packs the features into a Float32Array, ready for `batch`.
 *
 * ```ts
 * const ds = csv('iris.csv', { labelColumns: ['species'], features: 'array' }).batch(32);
 * ```
 */
export function csv<const O extends CsvOptions = CsvOptions>(source: CsvSource, options?: O): Dataset<CsvElement<O>> {
  const who = 'csv';
  const opts: CsvOptions = options ?? {};
  checkCsvOptions(who, opts);
  const text =
    typeof source === 'object' && source !== null && typeof (source as { text?: unknown }).text === 'string'
      ? (source as { text: string }).text
      : typeof source === 'string' && /[\r\n]/.test(source)
        ? source
        : null;
  const opened = text !== null ? { open: () => single(text), label: 'the CSV text' } : openByteSource(source as ByteSource, who);
  const label = `${who} ${opened.label}`;
  const delimiter = opts.delimiter ?? ',';
  return new Dataset<CsvElement<O>>(() => rows(parseCsv(decodeChunks(opened.open(), opts.encoding ?? 'utf-8'), delimiter, label), opts, label, who) as AsyncIterator<CsvElement<O>>);
}
