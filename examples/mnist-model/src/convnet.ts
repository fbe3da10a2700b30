// The convnet's layers, in a module of their own: `buildModelAsync` imports it only for the CNN, so
// a page that trains the MLP does not download the convolution and pooling code.
import { Conv2D, Dropout, Flatten, MaxPooling2D, Reshape } from '@neurona/layers';
import type { Sequential } from '@neurona/models';
import { IMAGE_SHAPE } from './kinds';

/** The convnet's feature extractor, up to its classifier: images `[28, 28]` get their channel axis first. */
export function addConvnet(model: Sequential, [f1, f2]: readonly [number, number]): void {
  model.add(Reshape([...IMAGE_SHAPE, 1], { inputShape: [...IMAGE_SHAPE] }));
  model.add(Conv2D(f1, [3, 3], { activation: 'relu' }));
  model.add(MaxPooling2D({ poolSize: [2, 2] }));
  model.add(Conv2D(f2, [3, 3], { activation: 'relu' }));
  model.add(MaxPooling2D({ poolSize: [2, 2] }));
  model.add(Flatten());
  model.add(Dropout(0.5));
}
