import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useNodeBackend } from '@neurona/backend-node';
import { loadMnist } from '@neurona/datasets';
import { Sequential, type History } from '@neurona/models';
import { Dense, LeakyReLU } from '@neurona/layers';
import { Adam } from '@neurona/optimizers';
import { BinaryCrossentropy } from '@neurona/losses';
import { historyToSvg } from '@neurona/metrics';
import { randomNormal, reshape, setSeed, tidy, type Tensor } from '@neurona/tensor';
import { GAN } from './gan';

/** How the program runs. */
export interface Settings {
  epochs: number;
  batchSize: number;
  /** How many of the 10,000 embedded digits to train on. */
  samples: number;
  latentDim: number;
  seed: number;
  outDir: string;
}

/** What a run produced, for tests and callers. */
export interface RunResult {
  backend: string;
  history: History;
  /** `digits` generated images (28×28, values in [0, 1]) after training. */
  generated: Float32Array;
  digits: number;
  svgPath: string;
  curvesPath: string;
}

/** A grid of 28×28 grey images as an SVG (one rect per dark-enough pixel). */
export function digitsToSvg(pixels: Float32Array, count: number, perRow = 8, scale = 3): string {
  const size = 28 * scale;
  const rows = Math.ceil(count / perRow);
  const rects: string[] = [];
  for (let d = 0; d < count; d++) {
    const ox = (d % perRow) * (size + 4);
    const oy = Math.floor(d / perRow) * (size + 4);
    for (let i = 0; i < 784; i++) {
      const v = pixels[d * 784 + i];
      if (v < 0.15) continue;
      const g = Math.round(255 * (1 - Math.min(1, v)));
      rects.push(`<rect x="${ox + (i % 28) * scale}" y="${oy + Math.floor(i / 28) * scale}" width="${scale}" height="${scale}" fill="rgb(${g},${g},${g})"/>`);
    }
  }
  const w = perRow * (size + 4);
  const h = rows * (size + 4);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="white"/>${rects.join('')}</svg>\n`;
}

/**
 * Keras's GAN example on the embedded MNIST digits, with dense networks (convolution comes with
 * the vision layers): `gan.fit(images)` runs the GAN's own `trainStep`; the progress bar, History
 * and callbacks work as for any model.
 */
export async function main(settings: Settings): Promise<RunResult> {
  const { epochs, batchSize, samples, latentDim, seed, outDir } = settings;
  const { chosen } = await useNodeBackend();
  setSeed(seed);

  console.log(`[INFO]: Loading ${samples} of the embedded MNIST digits...`);
  const { x, y } = await loadMnist({ limit: samples });
  y.dispose();
  // pixels from [0, 1] to [-1, 1], the range of the generator's tanh output
  const images = tidy(() => reshape(x, [samples, 784]).mul(2).sub(1));
  x.dispose();

  const discriminator = Sequential({
    name: 'discriminator',
    layers: [Dense(256, { inputShape: [784] }), LeakyReLU({ alpha: 0.2 }), Dense(128), LeakyReLU({ alpha: 0.2 }), Dense(1)],
  });
  const generator = Sequential({
    name: 'generator',
    layers: [Dense(128, { inputShape: [latentDim] }), LeakyReLU({ alpha: 0.2 }), Dense(256), LeakyReLU({ alpha: 0.2 }), Dense(784, { activation: 'tanh' })],
  });
  const gan = new GAN(discriminator, generator, latentDim);
  // the usual GAN settings: a small learning rate and a short momentum memory (beta1 0.5)
  const dOptimizer = Adam(2e-4, { beta1: 0.5 });
  const gOptimizer = Adam(2e-4, { beta1: 0.5 });
  gan.compileGan({ dOptimizer, gOptimizer, lossFn: BinaryCrossentropy({ fromLogits: true }) });

  console.log('[INFO]: Training the GAN (its own trainStep, two optimizers)...');
  const history = await gan.fit(images, undefined, { epochs, batchSize });

  const digits = 16;
  const z = randomNormal([digits, latentDim]);
  const fake = tidy(() => (generator.predict(z) as Tensor).add(1).div(2)); // back to [0, 1]
  const generated = (await fake.data()) as Float32Array;
  const svgPath = join(outDir, 'generated-digits.svg');
  writeFileSync(svgPath, digitsToSvg(generated, digits));
  const curvesPath = join(outDir, 'gan-losses.svg');
  writeFileSync(curvesPath, historyToSvg(history));
  console.log(`[INFO]: Generated digits written to ${svgPath}, losses to ${curvesPath}`);

  for (const t of [images, z, fake]) t.dispose();
  gan.dispose(); // its layers, the generator and discriminator, and its loss trackers
  dOptimizer.dispose();
  gOptimizer.dispose();
  return { backend: chosen, history, generated, digits, svgPath, curvesPath };
}
