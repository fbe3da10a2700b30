import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memory } from '@neurona/tensor';
import { digitsToSvg, main } from '../src/program';

const backend = process.env.NEURONA_TEST_BACKEND ?? 'cpu';
let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'custom-training-'));
  process.env.NEURONA_BACKEND = backend;
});
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  delete process.env.NEURONA_BACKEND;
});

describe("the guide's GAN on MNIST digits", () => {
  it('fit runs the GAN trainStep: d_loss and g_loss per epoch, generated digits, no leaks', async () => {
    const before = memory().numTensors;
    const r = await main({ epochs: 2, batchSize: 64, samples: 512, latentDim: 16, seed: 3, outDir: out });
    expect(Object.keys(r.history.history)).toEqual(['d_loss', 'g_loss']);
    expect(r.history.history.d_loss).toHaveLength(2);
    for (const v of [...r.history.history.d_loss, ...r.history.history.g_loss]) expect(Number.isFinite(v)).toBe(true);
    expect(r.generated.length).toBe(16 * 784);
    expect(Math.min(...r.generated)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...r.generated)).toBeLessThanOrEqual(1);
    expect(existsSync(r.svgPath) && readFileSync(r.svgPath, 'utf8').startsWith('<svg')).toBe(true);
    expect(readFileSync(r.curvesPath, 'utf8')).toContain('d_loss');
    expect(memory().numTensors).toBe(before);
  });

  it('digitsToSvg draws one rect per visible pixel', () => {
    const px = new Float32Array(784 * 2);
    px[0] = 1;
    px[784 + 29] = 0.5;
    const svg = digitsToSvg(px, 2, 2, 1);
    expect(svg.match(/<rect x/g)).toHaveLength(2);
    expect(svg).toContain('fill="rgb(0,0,0)"');
  });
});
