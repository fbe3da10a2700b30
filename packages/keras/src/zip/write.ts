// A zip archive of stored (uncompressed) members, as Python's zipfile writes a .keras file.
import { crc32 } from './crc32';

/** One member to write. */
export interface ZipMember {
  name: string;
  data: Uint8Array;
}

// 1980-01-01 00:00, what zipfile.writestr stamps on members it gets as strings
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** The bytes of a zip archive holding `members` in order (no compression, no zip64: < 4 GiB). */
export function zipStored(members: readonly ZipMember[]): Uint8Array {
  const enc = new TextEncoder();
  const names = members.map((m) => enc.encode(m.name));
  const crcs = members.map((m) => crc32(m.data));
  const localSize = members.reduce((n, m, i) => n + 30 + names[i].length + m.data.length, 0);
  const centralSize = names.reduce((n, nm) => n + 46 + nm.length, 0);
  const total = localSize + centralSize + 22;
  if (total > 0xffffffff) throw new Error(`save: the archive would be ${total} bytes; archives of 4 GiB or more are not supported`);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const offsets: number[] = [];
  let p = 0;
  members.forEach((m, i) => {
    offsets.push(p);
    dv.setUint32(p, 0x04034b50, true);
    dv.setUint16(p + 4, 20, true);
    dv.setUint16(p + 6, 0x0800, true); // names are UTF-8
    dv.setUint16(p + 8, 0, true);
    dv.setUint16(p + 10, DOS_TIME, true);
    dv.setUint16(p + 12, DOS_DATE, true);
    dv.setUint32(p + 14, crcs[i], true);
    dv.setUint32(p + 18, m.data.length, true);
    dv.setUint32(p + 22, m.data.length, true);
    dv.setUint16(p + 26, names[i].length, true);
    dv.setUint16(p + 28, 0, true);
    out.set(names[i], p + 30);
    out.set(m.data, p + 30 + names[i].length);
    p += 30 + names[i].length + m.data.length;
  });
  const cd = p;
  members.forEach((m, i) => {
    dv.setUint32(p, 0x02014b50, true);
    dv.setUint16(p + 4, 20, true);
    dv.setUint16(p + 6, 20, true);
    dv.setUint16(p + 8, 0x0800, true);
    dv.setUint16(p + 10, 0, true);
    dv.setUint16(p + 12, DOS_TIME, true);
    dv.setUint16(p + 14, DOS_DATE, true);
    dv.setUint32(p + 16, crcs[i], true);
    dv.setUint32(p + 20, m.data.length, true);
    dv.setUint32(p + 24, m.data.length, true);
    dv.setUint16(p + 28, names[i].length, true);
    dv.setUint32(p + 38, 0o100644 << 16, true); // a regular file, rw-r--r--
    dv.setUint32(p + 42, offsets[i], true);
    out.set(names[i], p + 46);
    p += 46 + names[i].length;
  });
  dv.setUint32(p, 0x06054b50, true);
  dv.setUint16(p + 8, members.length, true);
  dv.setUint16(p + 10, members.length, true);
  dv.setUint32(p + 12, p - cd, true);
  dv.setUint32(p + 16, cd, true);
  return out;
}
