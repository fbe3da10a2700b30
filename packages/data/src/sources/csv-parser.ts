// A streaming RFC 4180 CSV parser: records of fields from chunks of text, with the line each
// record starts on. Quoted fields may hold delimiters, quotes ("") and line breaks; CRLF, LF and
// CR all end a line; blank lines are skipped.

/** One record and the (1-based) line it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

// parser states
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/** The records of CSV text given in chunks. `name` labels errors. */
export async function* parseCsv(chunks: AsyncIterable<string>, delimiter: string, name: string): AsyncGenerator<CsvRecord> {
  const DELIM = delimiter.charCodeAt(0);
  let state: number = FIELD_START;
  let fields: string[] = [];
  let field = ''; // the current field's text from earlier chunks
  let line = 1;
  let recordLine = 1;
  let prevCR = false; // the last character was CR: an LF now is the same line break
  let inRecord = false;
  const out: CsvRecord[] = [];
  const endRecord = (): void => {
    out.push({ fields, line: recordLine });
    fields = [];
    inRecord = false;
  };

  for await (const s of chunks) {
    let start = 0; // where the current run of field text began in this chunk
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const crlfTail = c === LF && prevCR;
      prevCR = c === CR;
      const lineEnd = c === CR || (c === LF && !crlfTail);
      switch (state) {
        case FIELD_START:
          if (crlfTail) break;
          if (!inRecord && !lineEnd) {
            inRecord = true;
            recordLine = line;
          }
          if (c === QUOTE) {
            state = QUOTED;
            field = '';
            start = i + 1;
          } else if (c === DELIM) {
            fields.push('');
          } else if (lineEnd) {
            if (inRecord) {
              fields.push('');
              endRecord();
            }
          } else {
            state = UNQUOTED;
            field = '';
            start = i;
          }
          break;
        case UNQUOTED:
          if (c === DELIM) {
            fields.push(field + s.slice(start, i));
            state = FIELD_START;
          } else if (lineEnd) {
            fields.push(field + s.slice(start, i));
            state = FIELD_START;
            endRecord();
          }
          break;
        case QUOTED:
          if (c === QUOTE) {
            field += s.slice(start, i);
            state = QUOTE_IN_QUOTED;
          }
          break;
        case QUOTE_IN_QUOTED:
          if (c === QUOTE) {
            field += '"';
            start = i + 1;
            state = QUOTED;
          } else if (c === DELIM) {
            fields.push(field);
            state = FIELD_START;
          } else if (lineEnd) {
            fields.push(field);
            state = FIELD_START;
            endRecord();
          } else {
            throw new Error(`${name} line ${line}: unexpected ${JSON.stringify(s[i])} after the closing quote of a field; a quoted field must end at a delimiter or a line end (write "" for a quote inside it)`);
          }
          break;
      }
      if (lineEnd) line++;
    }
    if (state === UNQUOTED || state === QUOTED) field += s.slice(start);
    if (out.length > 0) yield* out.splice(0);
  }
  if (state === QUOTED) throw new Error(`${name} line ${recordLine}: a quoted field is not closed before the end of the file`);
  if (state === UNQUOTED || state === QUOTE_IN_QUOTED) {
    fields.push(field);
    endRecord();
  } else if (inRecord) {
    fields.push('');
    endRecord();
  }
  yield* out.splice(0);
}
