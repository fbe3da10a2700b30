import { createRng, slice, SeedGenerator } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { LayerConfig } from './layer';
import { ImageLayer, checkSeed } from './image-layer';
import type { RandomImageOptions } from './image-layer';
import { resizeImages } from './image-resize';
import { checkSize, cropToAspect } from './resizing';

/**
 * Crops a random `height × width` window while training, the same window for the whole batch
 * (Keras's `RandomCrop`). In inference, and in training for images not larger than the target,
 * it returns the largest centred window of the target aspect ratio resized to `height × width`
 * (bilinear), as Keras documents.
 */
export class RandomCropLayer extends ImageLayer {
  static override readonly className: string = 'RandomCrop';
  readonly height: number;
  readonly width: number;
  readonly seed: number | null;
  private readonly seeds: SeedGenerator;

  constructor(height: number, width: number, options: RandomImageOptions = {}) {
    const { seed, ...base } = options ?? {};
    super(base, []);
    this.height = checkSize(`${this}`, 'height', height);
    this.width = checkSize(`${this}`, 'width', width);
    this.seed = checkSeed(`${this}`, seed);
    this.seeds = new SeedGenerator(this.seed);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = [...(inputShape as Shape)];
    const [hAx, wAx] = this.hwAxes(s.length);
    s[hAx] = this.height;
    s[wAx] = this.width;
    return s;
  }

  protected transform(x: Tensor, training: boolean): Tensor {
    const [b, h, w, c] = x.shape;
    if (training && h > this.height && w > this.width) {
      // two draws from the layer's stream, in JavaScript: the offsets are needed to slice
      const rng = createRng(this.seeds.next());
      const top = Math.floor(rng() * (h - this.height + 1));
      const left = Math.floor(rng() * (w - this.width + 1));
      return slice(x, [0, top, left, 0], [b, this.height, this.width, c]);
    }
    return resizeImages(cropToAspect(x, this.height, this.width), this.height, this.width, 'bilinear');
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), height: this.height, width: this.width, seed: this.seed };
  }

  static fromConfig(config: LayerConfig): RandomCropLayer {
    const { height, width, ...rest } = config;
    return new RandomCropLayer(height as number, width as number, rest as RandomImageOptions);
  }
}

/** The type of what `RandomCrop()` returns. */
export type RandomCrop = RandomCropLayer;

/** `RandomCrop(24, 24, { seed: 1 })`: a random 24 × 24 window while training, the centred one in inference. */
export function RandomCrop(height: number, width: number, options: RandomImageOptions = {}): RandomCrop {
  return new RandomCropLayer(height, width, options);
}
