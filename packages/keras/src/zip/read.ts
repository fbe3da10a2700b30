// A zip archive read defensively: the central directory is parsed by hand so every entry is seen
// (duplicates included) and judged before one byte is inflated. Names must be plain relative
// paths, sizes are capped absolutely and by compression ratio, inflation never writes past the
// declared size, and every member's CRC-32 is checked.
import { inflateSync } from 'fflate';
import { ModelFileError } from '@neurona/models';
import { MAX_COMPRESSION_RATIO, MAX_FILE_BYTES, MAX_ZIP_ENTRIES, RATIO_FREE_BYTES } from '../limits';
import { crc32 } from './crc32';

/** One member of an archive, before it is extracted. */
export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function fail(what: string, why: string): never {
  throw new ModelFileError(`${what}: ${why}`);
}

/**
 * A member name that is safe to treat as a path inside the archive: relative, `/`-separated, no
 * `..`, no drive letter or backslash, no control characters. Anything else is zip slip.
 */
export function checkEntryName(name: string, what: string): string {
  const bad = (why: string): never => fail(what, `member name ${JSON.stringify(name)} ${why}; refusing the archive (zip slip)`);
  if (name.length === 0) bad('is empty');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) bad('has control characters');
  if (name.includes('\\')) bad('has a backslash');
  if (name.startsWith('/')) bad('is absolute');
  if (/^[a-zA-Z]:/.test(name)) bad('has a drive letter');
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) bad('leaves the archive ("..")');
  if (parts.slice(0, -1).some((p) => p === '' || p === '.')) bad('has an empty or "." segment');
  return name;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function findEocd(bytes: Uint8Array, what: string): number {
  const dv = view(bytes);
  // the record is 22 bytes plus a comment of at most 65535
  const stop = Math.max(0, bytes.length - 22 - 65535);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (dv.getUint32(i, true) === EOCD) return i;
  }
  return fail(what, 'no zip end-of-central-directory record (not a zip archive, or truncated)');
}

/** The members listed in the central directory, checked (names, sizes, ratios, duplicates). */
export function listZip(bytes: Uint8Array, what: string): ZipEntry[] {
  if (bytes.length > MAX_FILE_BYTES) fail(what, `${bytes.length} bytes is more than the ${MAX_FILE_BYTES} allowed`);
  if (bytes.length < 22) fail(what, `${bytes.length} bytes is too short for a zip archive (truncated?)`);
  const dv = view(bytes);
  const eocd = findEocd(bytes, what);
  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (dv.getUint16(eocd + 4, true) !== 0 || dv.getUint16(eocd + 6, true) !== 0) fail(what, 'multi-disk archives are not supported');
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== EOCD64_LOCATOR) fail(what, 'a zip64 archive without its locator record (corrupt)');
    const rec = Number(dv.getBigUint64(loc + 8, true));
    if (rec + 56 > bytes.length || dv.getUint32(rec, true) !== EOCD64) fail(what, 'the zip64 end record is missing or out of range (corrupt)');
    count = Number(dv.getBigUint64(rec + 32, true));
    cdSize = Number(dv.getBigUint64(rec + 40, true));
    cdOffset = Number(dv.getBigUint64(rec + 48, true));
  }
  if (count > MAX_ZIP_ENTRIES) fail(what, `${count} members is more than the ${MAX_ZIP_ENTRIES} allowed`);
  if (cdOffset + cdSize > bytes.length) fail(what, 'the central directory lies beyond the end of the file (truncated)');
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || dv.getUint32(p, true) !== CENTRAL) fail(what, `central directory entry ${i} is corrupt or truncated`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localOffset = dv.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > bytes.length) fail(what, `central directory entry ${i} runs past the end of the file`);
    const name = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // zip64 sizes live in the extra field when the 32-bit ones are saturated
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (): number => {
          if (q + 8 > e + 4 + len) fail(what, `member ${JSON.stringify(name)}: truncated zip64 field`);
          const v = Number(dv.getBigUint64(q, true));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      e += 4 + len;
    }
    p = extraEnd + commentLen;
    checkEntryName(name, what);
    if (seen.has(name)) fail(what, `member ${JSON.stringify(name)} appears twice; refusing an archive with duplicate entries`);
    seen.add(name);
    if (flags & 0x1) fail(what, `member ${JSON.stringify(name)} is encrypted`);
    if (method !== 0 && method !== 8) fail(what, `member ${JSON.stringify(name)} uses compression method ${method}; only stored (0) and deflate (8) are supported`);
    if (size > MAX_FILE_BYTES) fail(what, `member ${JSON.stringify(name)} declares ${size} bytes, more than the ${MAX_FILE_BYTES} allowed`);
    if (method === 0 && size !== compressedSize) fail(what, `member ${JSON.stringify(name)} is stored but declares ${size} bytes and ${compressedSize} compressed`);
    if (size > RATIO_FREE_BYTES && size > compressedSize * MAX_COMPRESSION_RATIO) {
      fail(what, `member ${JSON.stringify(name)} would inflate ${compressedSize} bytes to ${size} (more than ${MAX_COMPRESSION_RATIO}:1): a zip bomb`);
    }
    if (localOffset + 30 > bytes.length) fail(what, `member ${JSON.stringify(name)} starts beyond the end of the file (truncated)`);
    entries.push({ name, method, crc, compressedSize, size, localOffset });
  }
  return entries;
}

/** The bytes of one listed member, inflated into exactly its declared size and CRC-checked. */
export function extract(bytes: Uint8Array, entry: ZipEntry, what: string, maxBytes = MAX_FILE_BYTES): Uint8Array {
  const at = `${what}: member ${JSON.stringify(entry.name)}`;
  if (entry.size > maxBytes) throw new ModelFileError(`${at} is ${entry.size} bytes, more than the ${maxBytes} allowed for it`);
  const dv = view(bytes);
  const p = entry.localOffset;
  if (dv.getUint32(p, true) !== LOCAL) throw new ModelFileError(`${at}: no local header where the directory says (corrupt archive)`);
  const start = p + 30 + dv.getUint16(p + 26, true) + dv.getUint16(p + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new ModelFileError(`${at} runs past the end of the file (truncated archive)`);
  const raw = bytes.subarray(start, end);
  let out: Uint8Array;
  if (entry.method === 0) {
    out = raw.slice();
  } else {
    try {
      // a fixed output buffer: inflation stops at the declared size whatever the stream says
      out = inflateSync(raw, { out: new Uint8Array(entry.size) });
    } catch (e) {
      throw new ModelFileError(`${at}: its compressed data is corrupt (${(e as Error).message})`, { cause: e });
    }
  }
  if (out.length !== entry.size) throw new ModelFileError(`${at} holds ${out.length} bytes, its header declares ${entry.size} (corrupt or truncated)`);
  if (crc32(out) !== entry.crc) throw new ModelFileError(`${at} fails its CRC-32 check (corrupt archive)`);
  return out;
}

/** True when the bytes start like a zip archive. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}
