import { slice } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { LayerConfig } from './layer';
import { ImageLayer } from './image-layer';
import type { ImageLayerOptions } from './image-layer';
import { resizeImages } from './image-resize';
import { checkSize, cropToAspect } from './resizing';

/**
 * The centred `height × width` window of each image (Keras's `CenterCrop`), in training and
 * inference alike. An image smaller than the target is first cropped to the target's aspect
 * ratio and resized (bilinear), as Keras's `smart_resize`.
 */
export class CenterCropLayer extends ImageLayer {
  static override readonly className: string = 'CenterCrop';
  readonly height: number;
  readonly width: number;

  constructor(height: number, width: number, options: ImageLayerOptions = {}) {
    super(options, []);
    this.height = checkSize(`${this}`, 'height', height);
    this.width = checkSize(`${this}`, 'width', width);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = [...(inputShape as Shape)];
    const [hAx, wAx] = this.hwAxes(s.length);
    s[hAx] = this.height;
    s[wAx] = this.width;
    return s;
  }

  protected transform(x: Tensor): Tensor {
    const [b, h, w, c] = x.shape;
    if (h >= this.height && w >= this.width) {
      return slice(x, [0, Math.floor((h - this.height) / 2), Math.floor((w - this.width) / 2), 0], [b, this.height, this.width, c]);
    }
    return resizeImages(cropToAspect(x, this.height, this.width), this.height, this.width, 'bilinear');
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }

  static fromConfig(config: LayerConfig): CenterCropLayer {
    const { height, width, ...rest } = config;
    return new CenterCropLayer(height as number, width as number, rest as ImageLayerOptions);
  }
}

/** The type of what `CenterCrop()` returns. */
export type CenterCrop = CenterCropLayer;

/** `CenterCrop(24, 24)`: the centred 24 × 24 window of each image (Keras's `CenterCrop`). */
export function CenterCrop(height: number, width: number, options: ImageLayerOptions = {}): CenterCrop {
  return new CenterCropLayer(height, width, options);
}
