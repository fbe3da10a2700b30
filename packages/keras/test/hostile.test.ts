import { describe, expect, it } from 'vitest';
import { memory } from '@neurona/tensor';
import { ModelFileError } from '@neurona/models';
import { loadKerasModel } from '../src';
import { zipStored } from '../src/zip/write';
import { listZip, extract } from '../src/zip/read';
import { fixture } from './helpers';

// Hostile and broken inputs: each must end in a ModelFileError with the reason, leak no tensor,
// and never hang or blow up memory. The fuzz part mutates real files thousands of times.

const good = fixture('real', 'flownet-final-keras3.9.2.keras');
const goodMembers = listZip(good, 'good').map((e) => ({ name: e.name, data: extract(good, e, 'good') }));
const enc = new TextEncoder();

async function refused(bytes: Uint8Array, reason: RegExp): Promise<void> {
  const before = memory().numTensors;
  const e = await loadKerasModel(bytes, { onWarning: () => undefined }).then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ModelFileError);
  expect(String((e as Error).message)).toMatch(reason);
  expect(memory().numTensors).toBe(before);
}

function withMember(name: string, data: Uint8Array, drop?: string) {
  return zipStored([...goodMembers.filter((m) => m.name !== drop), { name, data }]);
}

describe('hostile .keras archives', () => {
  it('zip slip: ../ and absolute member names', async () => {
    await refused(withMember('../evil.txt', enc.encode('x')), /zip slip|leaves the archive/);
    await refused(withMember('/etc/passwd', enc.encode('x')), /absolute/);
    await refused(withMember('assets/..\\evil', enc.encode('x')), /backslash/);
  });

  it('duplicate, missing and extra members', async () => {
    await refused(zipStored([...goodMembers, goodMembers[1]]), /appears twice/);
    await refused(zipStored(goodMembers.filter((m) => m.name !== 'config.json')), /no config\.json/);
    await refused(withMember('model.py', enc.encode('import os')), /unexpected member "model\.py"/);
  });

  it('zip bomb: a member that would inflate past the ratio cap', async () => {
    const z = withMember('assets/big.bin', new Uint8Array(10));
    // claim 1 GiB uncompressed for 10 stored bytes (deflate method so sizes may differ)
    const dv = new DataView(z.buffer);
    const cd = dv.getUint32(z.length - 6, true);
    let p = cd;
    for (let i = 0; i < 3; i++) p += 46 + dv.getUint16(p + 28, true);
    dv.setUint16(p + 10, 8, true);
    dv.setUint32(p + 24, 2 ** 30, true);
    await refused(z, /zip bomb/);
  });

  it('truncated and corrupt data', async () => {
    await refused(good.subarray(0, good.length - 100), /end-of-central-directory|truncated|corrupt/);
    const flipped = good.slice();
    flipped[2000] ^= 0xff;
    await refused(flipped, /CRC-32|corrupt/);
    await refused(enc.encode('not a model at all'), /neither a \.keras archive/);
  });

  it('__proto__ keys and hostile JSON', async () => {
    const config = new TextDecoder().decode(goodMembers.find((m) => m.name === 'config.json')?.data);
    await refused(withMember('config.json', enc.encode(config.replace('"trainable"', '"__proto__"')), 'config.json'), /__proto__/);
    await refused(withMember('config.json', enc.encode(config.slice(0, 100)), 'config.json'), /ends early|not valid JSON/);
  });

  it('declared shapes that would allocate gigabytes', async () => {
    const config = new TextDecoder().decode(goodMembers.find((m) => m.name === 'config.json')?.data);
    await refused(withMember('config.json', enc.encode(config.replace('"units": 128', '"units": 1000000000')), 'config.json'), /would create weight|does not match/);
  });

  it('a layer option neurona cannot represent is refused with class and option', async () => {
    const config = new TextDecoder().decode(goodMembers.find((m) => m.name === 'config.json')?.data);
    await refused(withMember('config.json', enc.encode(config.replace('"kernel_constraint": null', '"kernel_constraint": {"class_name": "MaxNorm", "config": {}}')), 'config.json'), /Dense option kernelConstraint/);
    await refused(withMember('config.json', enc.encode(config.replace('"name": "float32"}, "registered_name": null}, "units"', '"name": "mixed_float16"}, "registered_name": null}, "units"')), 'config.json'), /mixed/);
  });
});

describe('fuzz: mutated .keras and .h5 files', () => {
  const seeds = [
    { file: 'flownet-final-keras3.9.2.keras', count: 600 },
    { file: 'hls4ml-mlp-streaming-keras2.11.keras', count: 400 },
    { file: 'dl4j-tfkeras-mlp-2.2.4tf.h5', count: 400 },
  ];
  for (const { file, count } of seeds) {
    it(`${file}: ${count} mutations each load or end in ModelFileError`, async () => {
      const base = fixture('real', file);
      let seed = 12345;
      const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const before = memory().numTensors;
      const outcome = { loaded: 0, refused: 0 };
      const t0 = Date.now();
      for (let i = 0; i < count; i++) {
        const b = base.slice();
        const n = 1 + Math.floor(rnd() * 6);
        // zip members are CRC-checked, so mutate inside the HDF5 member too by hitting its range often
        for (let j = 0; j < n; j++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
        const cut = rnd() < 0.15 ? Math.floor(rnd() * b.length) : b.length;
        try {
          const m = await loadKerasModel(b.subarray(0, cut), { compile: rnd() < 0.5, onWarning: () => undefined });
          m.dispose();
          outcome.loaded++;
        } catch (e) {
          if (!(e instanceof ModelFileError)) throw new Error(`case ${i}: ${String(e)}`, { cause: e });
          outcome.refused++;
        }
      }
      expect(memory().numTensors).toBe(before);
      expect(outcome.loaded + outcome.refused).toBe(count);
      // the HDF5 library is still sound after every broken file
      const again = await loadKerasModel(base, { compile: false });
      again.dispose();
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(process.memoryUsage().rss).toBeLessThan(2 ** 31);
    });
  }
});
