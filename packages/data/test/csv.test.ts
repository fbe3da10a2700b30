// csv: RFC 4180 parsing against Python's csv module, types, labels, bad rows with line numbers,
// and the sources (path, text, URL, stream, Blob), read in small chunks.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { dispose, type Tensor } from '@neurona/tensor';
import { csv, type CsvBadRow, type CsvRow, type CsvValue } from '../src/index';
import { parseCsv } from '../src/sources/csv-parser';
import { values } from './helpers';

const cases = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'csv-cases.json'), 'utf8')) as { text: string; delimiter: string; records: string[][] }[];

async function records(chunks: string[], delimiter = ','): Promise<{ fields: string[]; line: number }[]> {
  const out = [];
  for await (const r of parseCsv((async function* () { yield* chunks; })(), delimiter, 'test')) out.push(r);
  return out;
}

describe('the CSV parser', () => {
  it('reads what Python\'s csv module reads, whatever the chunking', async () => {
    for (const c of cases) {
      expect((await records([c.text], c.delimiter)).map((r) => r.fields)).toEqual(c.records);
      // every split point, and one character per chunk
      for (let cut = 1; cut < c.text.length; cut++) {
        expect((await records([c.text.slice(0, cut), c.text.slice(cut)], c.delimiter)).map((r) => r.fields)).toEqual(c.records);
      }
      expect((await records([...c.text], c.delimiter)).map((r) => r.fields)).toEqual(c.records);
    }
  });

  it('gives the line each record starts on (CRLF, LF, CR, quoted line breaks, blank lines)', async () => {
    const text = 'h1,h2\r\n1,2\r\n\r\n"a\r\nb",3\n4,5\r6,7\n';
    expect((await records([text])).map((r) => r.line)).toEqual([1, 2, 4, 6, 7]);
  });

  it('rejects text after a closing quote and an unclosed quote, with the line', async () => {
    await expect(records(['a,b\n"x"y,2\n'])).rejects.toThrow('test line 2: unexpected "y" after the closing quote of a field');
    await expect(records(['a\n1\n"open\nstill open'])).rejects.toThrow('test line 3: a quoted field is not closed before the end of the file');
  });
});

describe('csv()', () => {
  const text = 'id,price,city,label\n1,2.5,"Paris, FR",0\n2,3,Lyon,1\n3,-1e2,Nice,1\n';

  it('reads rows as objects with inferred types', async () => {
    const rows = await csv(text).toArray();
    expect(rows).toEqual([
      { id: 1, price: 2.5, city: 'Paris, FR', label: 0 },
      { id: 2, price: 3, city: 'Lyon', label: 1 },
      { id: 3, price: -100, city: 'Nice', label: 1 },
    ]);
  });

  it('splits labels into { x, y }, packs features into arrays, and batches', async () => {
    const ds = csv(text, { labelColumns: ['label'], selectColumns: ['price', 'id'], features: 'array' });
    const [b] = await ds.batch(3).toArray();
    expect(values(b.x)).toEqual([[2.5, 1], [3, 2], [-100, 3]]);
    expect(values(b.y)).toEqual([0, 1, 1]);
    dispose([b.x, b.y]);
    const rec = await csv(text, { labelColumns: ['label', 'id'], selectColumns: ['city'] }).take(1).toArray();
    expect(rec).toEqual([{ x: { city: 'Paris, FR' }, y: { label: 0, id: 1 } }]);
  });

  it('applies column types and defaults', async () => {
    const t = 'a,b,c\n1,true,x\n,0,\n';
    expect(await csv(t, { columnTypes: { a: 'int32', b: 'bool', c: 'string' }, columnDefaults: { a: -1, c: 'none' } }).toArray()).toEqual([
      { a: 1, b: true, c: 'x' },
      { a: -1, b: false, c: 'none' },
    ]);
    expect(await csv('1;2\n3;4', { header: false, delimiter: ';' }).toArray()).toEqual([{ column0: 1, column1: 2 }, { column0: 3, column1: 4 }]);
    expect(await csv('1;2\n', { header: false, delimiter: ';', columnNames: ['p', 'q'] }).toArray()).toEqual([{ p: 1, q: 2 }]);
  });

  it('names the line of a bad row: missing value, wrong field count, wrong type', async () => {
    const bad = 'a,b\n1,2\n3,\n';
    await expect(csv(bad).toArray()).rejects.toThrow("csv the CSV text line 3: missing value in column 'b' (expected a float32 value); give columnDefaults: { 'b': ... } to fill it, or onBadRow: 'skip'");
    await expect(csv('a,b\n1,2\n3,4,5\n').toArray()).rejects.toThrow('csv the CSV text line 3: expected 2 fields (a, b), found 3');
    await expect(csv('a,b\n1,2\n\n"x\ny",4\nz,5\n').toArray()).rejects.toThrow(`csv the CSV text line 4: column 'a' expected a float32 number, found "x\\ny"`);
    await expect(csv('a\n1.5\n', { columnTypes: { a: 'int32' } }).toArray()).rejects.toThrow(`line 2: column 'a' expected an int32 integer, found "1.5"`);
    await expect(csv('a\nmaybe\n', { columnTypes: { a: 'bool' } }).toArray()).rejects.toThrow(`line 2: column 'a' expected a bool value (true/false/1/0), found "maybe"`);
  });

  it('skips bad rows or reports them to a function', async () => {
    const bad = 'a,b\n1,2\n3,\n4,5,6\n7,8\n';
    expect(await csv(bad, { onBadRow: 'skip' }).toArray()).toEqual([{ a: 1, b: 2 }, { a: 7, b: 8 }]);
    const seen: CsvBadRow[] = [];
    await csv(bad, { onBadRow: (r) => seen.push(r) }).toArray();
    expect(seen.map((r) => [r.line, r.fields])).toEqual([[3, ['3', '']], [4, ['4', '5', '6']]]);
  });

  it('explains bad options', () => {
    expect(() => csv(text, { delimiter: ';;' })).toThrow('csv: delimiter must be one character other than a quote or a line break');
    expect(() => csv(text, { features: 'matrix' as never })).toThrow("csv: features must be 'record' or 'array'");
    expect(() => csv(text, { columnTypes: { a: 'double' as never } })).toThrow("csv: columnTypes['a'] must be 'float32', 'int32', 'bool' or 'string'");
  });

  it('explains bad column names and string features in array mode (when the first row is read)', async () => {
    await expect(csv(text, { labelColumns: ['nope'] }).toArray()).rejects.toThrow("csv: labelColumns names 'nope', which is not a column; the columns are id, price, city, label");
    await expect(csv(text, { labelColumns: ['label'], features: 'array' }).toArray()).rejects.toThrow("csv: features: 'array' needs numeric columns, but 'city' is a string column");
    await expect(csv('a,a\n1,2\n').toArray()).rejects.toThrow("line 1: the header names the column 'a' twice");
  });

  it('is typed by its options', () => {
    expectTypeOf(csv('a\n1\n')).toMatchTypeOf<AsyncIterable<CsvRow>>();
    expectTypeOf(csv('a\n1\n', { labelColumns: ['a'] })).toMatchTypeOf<AsyncIterable<{ x: CsvRow; y: CsvValue }>>();
    expectTypeOf(csv('a\n1\n', { labelColumns: ['a'], features: 'array' }).batch(2)).toMatchTypeOf<AsyncIterable<{ x: Tensor; y: Tensor }>>();
  });
});

describe('csv() sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurona-csv-'));
  // a file larger than one 64 KiB read, so records and multi-byte characters span chunks
  const lines = ['name,value'];
  for (let i = 0; i < 6000; i++) lines.push(`"é${i}, ü",${i / 4}`);
  const big = lines.join('\r\n') + '\r\n';
  const path = join(dir, 'big.csv');
  writeFileSync(path, big);
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/data.csv') res.end(big);
      else {
        res.statusCode = 404;
        res.end('no');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address() as { port: number };
    url = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const check = (rows: CsvRow[]): void => {
    expect(rows.length).toBe(6000);
    expect(rows[4321]).toEqual({ name: 'é4321, ü', value: 4321 / 4 });
  };

  it('reads a path, a file: URL, an http URL, a Blob, bytes, a stream and { text }', async () => {
    check(await csv(path).toArray());
    check(await csv(new URL(`file://${path}`)).toArray());
    check(await csv(`${url}/data.csv`).toArray());
    check(await csv(new Blob([big])).toArray());
    check(await csv(new TextEncoder().encode(big)).toArray());
    check(await csv(() => Readable.from([Buffer.from(big)])).toArray());
    expect(await csv({ text: 'a' }, { header: false }).toArray()).toEqual([{ column0: 'a' }]);
  });

  it('reads a file lazily: take(2) stops reading', async () => {
    expect((await csv(path).take(2).toArray()).map((r) => r.value)).toEqual([0, 0.25]);
  });

  it('names the file or URL that cannot be read', async () => {
    await expect(csv(join(dir, 'missing.csv')).toArray()).rejects.toThrow(`csv: no file at '${join(dir, 'missing.csv')}'`);
    await expect(csv(`${url}/nothing.csv`).toArray()).rejects.toThrow(`csv: GET ${url}/nothing.csv answered 404 Not Found`);
    await expect(csv(dir).toArray()).rejects.toThrow('is a folder; expected a file');
  });

  it('reads a stream once, and says so on a second pass', async () => {
    const ds = csv(Readable.from([Buffer.from('a\n1\n')]));
    expect(await ds.toArray()).toEqual([{ a: 1 }]);
    await expect(ds.toArray()).rejects.toThrow('csv: a stream can be read once');
  });
});
