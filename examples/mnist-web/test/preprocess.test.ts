import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeMnistBinary } from '@neurona/datasets';
import { centerOfMass, inkBounds, resampleArea, toMnist, type GrayImage } from '../src/shared/preprocess';

function blank(width: number, height: number): GrayImage {
  return { data: new Float32Array(width * height), width, height };
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

function fillRect(img: GrayImage, x: number, y: number, w: number, h: number, v = 1): void {
  for (let r = y; r < y + h; r++) for (let c = x; c < x + w; c++) img.data[r * img.width + c] = v;
}

describe('toMnist', () => {
  it('gives null for a blank drawing', () => {
    expect(toMnist(blank(280, 280))).toBeNull();
  });

  it('fits the ink in a 20×20 box, keeps the aspect ratio, and puts the center of mass at (14, 14)', () => {
    const img = blank(280, 280);
    fillRect(img, 10, 30, 50, 100); // a tall bar near the top-left corner
    const out = toMnist(img)!;
    const b = inkBounds({ data: out, width: 28, height: 28 })!;
    expect(b.h).toBe(20);
    expect(b.w).toBe(10);
    const c = centerOfMass({ data: out, width: 28, height: 28 });
    expect(Math.abs(c.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(c.y - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
  });

  it('anti-aliases: area averaging keeps the total ink, scaled by the area ratio', () => {
    const img = blank(30, 30);
    fillRect(img, 0, 0, 30, 30, 0.5);
    const small = resampleArea(img, { x: 0, y: 0, w: 30, h: 30 }, 20, 20);
    for (const v of small.data) expect(v).toBeCloseTo(0.5, 5);
    const edge = blank(3, 1);
    edge.data[0] = 1;
    // 3 pixels into 2: the first output covers 1.5 source pixels, one of them inked
    expect(Array.from(resampleArea(edge, { x: 0, y: 0, w: 3, h: 1 }, 2, 1).data).map((v) => +v.toFixed(4))).toEqual([0.6667, 0]);
  });

  it('turns real MNIST digits drawn 10× larger back into the same digits', () => {
    const require = createRequire(import.meta.url);
    const { images, labels } = decodeMnistBinary(readFileSync(require.resolve('@neurona/datasets/mnist-10k.bin')));
    for (let k = 0; k < 300; k++) {
      const digit = images.subarray(k * 784, (k + 1) * 784);
      const big = blank(280, 280);
      for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) big.data[y * 280 + x] = digit[Math.floor(y / 10) * 28 + Math.floor(x / 10)] / 255;
      const out = toMnist(big)!;
      // Pearson correlation with the original 28×28 image
      const a = Array.from(digit, (v) => v / 255);
      const b = Array.from(out);
      const [ma, mb] = [mean(a), mean(b)];
      let sab = 0, saa = 0, sbb = 0;
      for (let i = 0; i < 784; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) ** 2;
        sbb += (b[i] - mb) ** 2;
      }
      expect(sab / Math.sqrt(saa * sbb), `digit ${k} (a ${labels[k]})`).toBeGreaterThan(0.999);
    }
  });
});
