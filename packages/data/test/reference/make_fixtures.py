"""Reference fixtures for @neurona/data's tests, made independently of the TypeScript code.

- csv-cases.json: tricky CSV texts and the records Python's csv module (RFC 4180) reads from them.
- *.idx / *.idx.gz and idx-expected.json: IDX files of every value type written with numpy
  (big-endian), and their values.
- png-*.png and png-expected.json: PNGs of every color type, several bit depths and all five
  row filters, written by a minimal encoder here (zlib + struct), and their pixels.

Run: /usr/bin/python3 packages/data/test/reference/make_fixtures.py (writes ../fixtures/).
"""
import csv
import gzip
import io
import json
import os
import struct
import zlib

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures')
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261206)

# ---------------------------------------------------------------- CSV
CSV_CASES = [
    'a,b,c\n1,2,3\n4,5,6\n',
    'a,b\r\n1,2\r\n3,4',  # CRLF, no final line break
    'a,b\r1,2\r3,4\r',  # old Mac line ends
    'name,quote\n"Smith, J.","He said ""hi"""\n"multi\nline",x\n',
    'a,b\n\n1,2\n\n\n3,4\n',  # blank lines
    'a,b,c\n1,,3\n,,\n',  # empty fields
    'x;y\n"1;5";2\n',
    '"a","b"\n"",""\n',
    'a\n"line1\r\nline2"\n',
    'a,b\n1,2,\n',  # trailing delimiter: 3 fields
]
cases = []
for text in CSV_CASES:
    delim = ';' if text.startswith('x;y') else ','
    # newline='' keeps the quoted line breaks as they are (the csv module's documented usage)
    rows = [r for r in csv.reader(io.StringIO(text, newline=''), delimiter=delim) if r != []]
    cases.append({'text': text, 'delimiter': delim, 'records': rows})
with open(os.path.join(OUT, 'csv-cases.json'), 'w') as f:
    json.dump(cases, f, indent=1)

# ---------------------------------------------------------------- IDX
IDX_TYPES = {0x08: '>u1', 0x09: '>i1', 0x0B: '>i2', 0x0C: '>i4', 0x0D: '>f4', 0x0E: '>f8'}


def idx_bytes(arr, code):
    header = struct.pack('>BBBB', 0, 0, code, arr.ndim) + b''.join(struct.pack('>I', d) for d in arr.shape)
    return header + arr.astype(IDX_TYPES[code]).tobytes()


expected = {}
for code, dt in IDX_TYPES.items():
    shape = (5, 3, 2)
    if code == 0x08:
        a = rng.integers(0, 256, size=shape)
    elif code == 0x09:
        a = rng.integers(-128, 128, size=shape)
    elif code == 0x0B:
        a = rng.integers(-30000, 30000, size=shape)
    elif code == 0x0C:
        a = rng.integers(-(2**24), 2**24, size=shape)
    else:
        a = rng.normal(size=shape).astype(np.float32).astype(np.float64)
    name = f'type-{code:02x}.idx'
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(idx_bytes(a, code))
    expected[name] = {'shape': list(shape), 'values': a.astype(np.float32).astype(float).ravel().tolist()}

# MNIST-shaped: 100 images 28x28 (values drawn sparsely so the file compresses) and labels, gzip
images = rng.integers(0, 256, size=(100, 28, 28)) * (rng.random(size=(100, 28, 28)) < 0.2)
labels = rng.integers(0, 10, size=(100,))
with gzip.open(os.path.join(OUT, 'images.idx.gz'), 'wb') as f:
    f.write(idx_bytes(images, 0x08))
with gzip.open(os.path.join(OUT, 'labels.idx.gz'), 'wb') as f:
    f.write(idx_bytes(labels, 0x08))
expected['images'] = {'shape': [100, 28, 28], 'checksum': int(images.sum()), 'first': images[0].ravel().tolist(), 'last': images[-1].ravel().tolist()}
expected['labels'] = {'values': labels.tolist()}
with open(os.path.join(OUT, 'idx-expected.json'), 'w') as f:
    json.dump(expected, f)

# ---------------------------------------------------------------- PNG


def png_chunk(kind, data):
    c = kind + data
    return struct.pack('>I', len(data)) + c + struct.pack('>I', zlib.crc32(c) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_rows(lines, bpp):
    """Each row filtered with type (row % 5): exercises None, Sub, Up, Average and Paeth."""
    out = b''
    prev = bytes(len(lines[0]))
    for y, line in enumerate(lines):
        t = y % 5
        f = bytearray()
        for x in range(len(line)):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][t]
            f.append((line[x] - pred) & 0xFF)
        out += bytes([t]) + bytes(f)
        prev = line
    return out


def pack_bits(samples, depth):
    if depth >= 8:
        return bytes(samples) if depth == 8 else b''.join(struct.pack('>H', s) for s in samples)
    out = bytearray()
    per = 8 // depth
    for i in range(0, len(samples), per):
        byte = 0
        for j, s in enumerate(samples[i:i + per]):
            byte |= s << (8 - depth * (j + 1))
        out.append(byte)
    return bytes(out)


def write_png(name, width, height, depth, color_type, samples, channels, palette=None, trns=None):
    lines = [pack_bits(samples[y * width * channels:(y + 1) * width * channels], depth) for y in range(height)]
    bpp = max(1, channels * depth // 8)
    data = b'\x89PNG\r\n\x1a\n'
    data += png_chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, depth, color_type, 0, 0, 0))
    if palette is not None:
        data += png_chunk(b'PLTE', bytes(palette))
    if trns is not None:
        data += png_chunk(b'tRNS', bytes(trns))
    z = zlib.compress(filter_rows(lines, bpp))
    # two IDAT chunks: decoders must join them
    data += png_chunk(b'IDAT', z[: len(z) // 2]) + png_chunk(b'IDAT', z[len(z) // 2:])
    data += png_chunk(b'IEND', b'')
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)


png_expected = {}
W, H = 7, 6
for name, depth, ct, ch in [
    ('png-gray8.png', 8, 0, 1),
    ('png-gray4.png', 4, 0, 1),
    ('png-gray1.png', 1, 0, 1),
    ('png-gray16.png', 16, 0, 1),
    ('png-rgb8.png', 8, 2, 3),
    ('png-rgb16.png', 16, 2, 3),
    ('png-graya8.png', 8, 4, 2),
    ('png-rgba8.png', 8, 6, 4),
]:
    maxv = (1 << depth) - 1
    s = rng.integers(0, maxv + 1, size=W * H * ch).tolist()
    write_png(name, W, H, depth, ct, s, ch)
    if depth == 16:
        s8 = [v >> 8 for v in s]
    elif depth < 8:
        s8 = [round(v * 255 / maxv) for v in s]
    else:
        s8 = s
    png_expected[name] = {'width': W, 'height': H, 'channels': ch, 'data': s8}

palette = rng.integers(0, 256, size=16 * 3).tolist()
trns = rng.integers(0, 256, size=10).tolist()
idxs = rng.integers(0, 16, size=W * H).tolist()
write_png('png-palette4.png', W, H, 4, 3, idxs, 1, palette=palette, trns=trns)
rgba = []
for k in idxs:
    rgba += palette[3 * k:3 * k + 3] + [trns[k] if k < len(trns) else 255]
png_expected['png-palette4.png'] = {'width': W, 'height': H, 'channels': 4, 'data': rgba}

# an image folder: 2 classes of 8x8 RGB images, and one 8x9 image (a size mismatch)
for cls, n in [('cats', 3), ('dogs', 2)]:
    os.makedirs(os.path.join(OUT, 'folder', cls), exist_ok=True)
    for i in range(n):
        s = rng.integers(0, 256, size=8 * 8 * 3).tolist()
        write_png(os.path.join('folder', cls, f'{i}.png'), 8, 8, 8, 2, s, 3)
        png_expected[f'folder/{cls}/{i}.png'] = {'width': 8, 'height': 8, 'channels': 3, 'data': s}
os.makedirs(os.path.join(OUT, 'folder-bad', 'a'), exist_ok=True)
write_png(os.path.join('folder-bad', 'a', '0.png'), 8, 8, 8, 0, [1] * 64, 1)
write_png(os.path.join('folder-bad', 'a', '1.png'), 9, 8, 8, 0, [2] * 72, 1)
with open(os.path.join(OUT, 'png-expected.json'), 'w') as f:
    json.dump(png_expected, f)
print('fixtures written to', os.path.normpath(OUT))
