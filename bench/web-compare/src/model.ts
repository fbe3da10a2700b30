import * as tf from '@tensorflow/tfjs';
import type { PageModel } from '../../../examples/mnist-web/src/shared/params';

/** The perceptron or the MLP of the course, in tfjs-layers (the same as mnist-model's buildModel). */
export function buildModel(kind: PageModel): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28] }));
  if (kind === 'mlp') model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({
    loss: 'categoricalCrossentropy',
    optimizer: kind === 'perceptron' ? tf.train.sgd(0.01) : tf.train.adam(0.001),
    metrics: ['accuracy'],
  });
  return model;
}
