// A small PNG decoder (the image format built into imageFolder under Node): every color type,
// bit depths 1–16, non-interlaced. The compressed data is inflated by the caller's `inflate`
// (node:zlib), so this file has no dependency.

/** Decoded pixels: `channels` bytes per pixel, row by row. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** True when `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undo the per-row filters in place; returns the raw scanlines without their filter bytes. */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number, name: string): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? row[x - bpp] : 0;
      const b = prev ? prev[x] : 0;
      const c = prev && x >= bpp ? prev[x - bpp] : 0;
      let v: number;
      switch (type) {
        case 0:
          v = src[x];
          break;
        case 1:
          v = src[x] + a;
          break;
        case 2:
          v = src[x] + b;
          break;
        case 3:
          v = src[x] + ((a + b) >> 1);
          break;
        case 4:
          v = src[x] + paeth(a, b, c);
          break;
        default:
          throw new Error(`${name}: PNG row ${y} has filter type ${type}; expected 0 to 4 (the file is corrupt)`);
      }
      row[x] = v & 0xff;
    }
  }
  return out;
}

/** Decode a PNG to 8-bit samples (16-bit ones keep their high byte; palettes become RGB or RGBA). */
export function decodePng(bytes: Uint8Array, inflate: (data: Uint8Array) => Uint8Array, name: string): DecodedImage {
  if (!isPng(bytes)) throw new Error(`${name}: not a PNG file (the built-in decoder reads PNG only; pass decode for other formats)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = -1;
  let palette: Uint8Array | null = null;
  let alpha: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let off = 8; off + 8 <= bytes.length; ) {
    const length = view.getUint32(off);
    const type = String.fromCharCode(...bytes.subarray(off + 4, off + 8));
    const data = bytes.subarray(off + 8, off + 8 + length);
    if (data.length < length) throw new Error(`${name}: the PNG is truncated in its ${type} chunk`);
    if (type === 'IHDR') {
      width = view.getUint32(off + 8);
      height = view.getUint32(off + 12);
      depth = data[8];
      colorType = data[9];
      if (data[12] !== 0) throw new Error(`${name}: interlaced PNGs are not supported by the built-in decoder; pass decode, or save it non-interlaced`);
      if (!(colorType in CHANNELS) || ![1, 2, 4, 8, 16].includes(depth)) throw new Error(`${name}: PNG color type ${colorType} with bit depth ${depth} is not valid`);
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') alpha = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    off += 12 + length;
  }
  if (!ended) throw new Error(`${name}: the PNG is truncated (it ends before its IEND chunk)`);
  if (colorType < 0) throw new Error(`${name}: the PNG has no IHDR chunk`);
  if (idat.length === 0) throw new Error(`${name}: the PNG has no image data (IDAT)`);
  const joined = new Uint8Array(idat.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const d of idat) {
    joined.set(d, o);
    o += d.length;
  }
  const samples = CHANNELS[colorType];
  const stride = Math.ceil((width * samples * depth) / 8);
  const raw = inflate(joined);
  if (raw.length < height * (stride + 1)) throw new Error(`${name}: the PNG's image data is truncated`);
  const lines = unfilter(raw, height, stride, Math.max(1, (samples * depth) >> 3), name);

  // samples as 8-bit values
  const n = width * height * samples;
  const s8 = new Uint8Array(n);
  for (let y = 0; y < height; y++) {
    const line = lines.subarray(y * stride, (y + 1) * stride);
    for (let i = 0; i < width * samples; i++) {
      let v: number;
      if (depth === 8) v = line[i];
      else if (depth === 16) v = line[2 * i];
      else {
        const bit = i * depth;
        const raw1 = (line[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
        v = colorType === 3 ? raw1 : Math.round((raw1 * 255) / ((1 << depth) - 1));
      }
      s8[y * width * samples + i] = v;
    }
  }
  if (colorType !== 3) return { width, height, channels: samples, data: s8 };
  if (!palette) throw new Error(`${name}: the PNG uses a palette but has no PLTE chunk`);
  const channels = alpha ? 4 : 3;
  const data = new Uint8Array(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const k = s8[p];
    data[p * channels] = palette[3 * k];
    data[p * channels + 1] = palette[3 * k + 1];
    data[p * channels + 2] = palette[3 * k + 2];
    if (alpha) data[p * channels + 3] = k < alpha.length ? alpha[k] : 255;
  }
  return { width, height, channels, data };
}
