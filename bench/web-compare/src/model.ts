import * as tf from '@tensorflow/tfjs';
import type { PageModel } from '../../../examples/mnist-web/src/shared/params';

/** The perceptron, the MLP or the CNN of the course, in tfjs-layers (the same as mnist-model's buildModel). */
export function buildModel(kind: PageModel): tf.Sequential {
  const model = tf.sequential();
  if (kind === 'cnn') {
    // mnist-model's CNN_FILTERS: 8 and 16, a quarter of Keras's convnet
    model.add(tf.layers.reshape({ targetShape: [28, 28, 1], inputShape: [28, 28] }));
    model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dropout({ rate: 0.5 }));
  } else model.add(tf.layers.flatten({ inputShape: [28, 28] }));
  if (kind === 'mlp') model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({
    loss: 'categoricalCrossentropy',
    optimizer: kind === 'perceptron' ? tf.train.sgd(0.01) : tf.train.adam(kind === 'cnn' ? 0.005 : 0.001),
    metrics: ['accuracy'],
  });
  return model;
}
