// A drawn digit to MNIST's format. MNIST digits were size-normalized to fit a 20×20 box
// (keeping the aspect ratio, anti-aliased) and then placed in a 28×28 image so that their
// center of mass is at the center. A drawing must go through the same steps, or the model sees
// something unlike anything it was trained on.
import { MNIST_SIZE } from './mnist-size';

/** Grey levels, one float per pixel, row-major; ink is 1, background 0. */
export interface GrayImage {
  data: Float32Array;
  width: number;
  height: number;
}

export { MNIST_SIZE };
export const MNIST_BOX = 20;

/** The ink's bounding box (pixels above `threshold`), or null for a blank image. */
export function inkBounds(img: GrayImage, threshold = 0.05): { x: number; y: number; w: number; h: number } | null {
  let x0 = img.width, y0 = img.height, x1 = -1, y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[y * img.width + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/**
 * Weights of an area-averaging resample of `n` source pixels into `m` (each output pixel is the
 * mean of the source span it covers, fractional pixels counted by their share): anti-aliasing.
 */
function areaWeights(n: number, m: number): { from: number; w: number[] }[] {
  const scale = n / m;
  const out: { from: number; w: number[] }[] = [];
  for (let j = 0; j < m; j++) {
    const a = j * scale;
    const b = (j + 1) * scale;
    const from = Math.floor(a);
    const w: number[] = [];
    for (let i = from; i < Math.min(n, Math.ceil(b)); i++) w.push((Math.min(b, i + 1) - Math.max(a, i)) / scale);
    out.push({ from, w });
  }
  return out;
}

/** Resample the region `box` of `img` to `w × h` by area averaging (separable: rows, then columns). */
export function resampleArea(img: GrayImage, box: { x: number; y: number; w: number; h: number }, w: number, h: number): GrayImage {
  const cols = areaWeights(box.w, w);
  const rows = areaWeights(box.h, h);
  const tmp = new Float32Array(box.h * w);
  for (let y = 0; y < box.h; y++) {
    const row = (box.y + y) * img.width + box.x;
    for (let j = 0; j < w; j++) {
      let s = 0;
      cols[j].w.forEach((wt, k) => (s += wt * img.data[row + cols[j].from + k]));
      tmp[y * w + j] = s;
    }
  }
  const data = new Float32Array(w * h);
  for (let i = 0; i < h; i++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      rows[i].w.forEach((wt, k) => (s += wt * tmp[(rows[i].from + k) * w + x]));
      data[i * w + x] = s;
    }
  }
  return { data, width: w, height: h };
}

/** The intensity-weighted mean position `(x, y)` of the image (its center of mass). */
export function centerOfMass(img: GrayImage): { x: number; y: number } {
  let m = 0, sx = 0, sy = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const v = img.data[y * img.width + x];
      m += v;
      sx += v * x;
      sy += v * y;
    }
  }
  return m === 0 ? { x: (img.width - 1) / 2, y: (img.height - 1) / 2 } : { x: sx / m, y: sy / m };
}

/**
 * A drawing (any size, ink 1 on background 0) as a 28×28 MNIST-like image, row-major: the ink's
 * bounding box scaled to fit 20×20 with its aspect ratio kept, then moved so that its center of
 * mass lands on pixel (14, 14) of the 28×28 image. Null when nothing is drawn.
 */
export function toMnist(img: GrayImage): Float32Array | null {
  const box = inkBounds(img);
  if (!box) return null;
  const scale = MNIST_BOX / Math.max(box.w, box.h);
  const w = Math.max(1, Math.round(box.w * scale));
  const h = Math.max(1, Math.round(box.h * scale));
  const small = resampleArea(img, box, w, h);
  const com = centerOfMass(small);
  // The shift that puts the center of mass on pixel (14, 14), in whole pixels: the convention
  // that reproduces MNIST's own digits exactly (checked by a test on 300 of them)
  const c = MNIST_SIZE / 2;
  const ox = Math.round(c - com.x);
  const oy = Math.round(c - com.y);
  const out = new Float32Array(MNIST_SIZE * MNIST_SIZE);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const tx = x + ox;
      const ty = y + oy;
      if (tx >= 0 && tx < MNIST_SIZE && ty >= 0 && ty < MNIST_SIZE) out[ty * MNIST_SIZE + tx] = Math.min(1, small.data[y * w + x]);
    }
  }
  return out;
}
