// The README's example, kept working (on the fixtures instead of the full MNIST and iris files).
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { dispose, memory, oneHot, randomUniform, tensor1d, type TensorContainer } from '@neurona/tensor';
import { csv, fromArrays, idx, unpackXYSampleWeight, zip } from '../src/index';

const fixtures = join(import.meta.dirname, 'fixtures');

it('README example', async () => {
  const before = memory().numTensors;
  const xTrain = randomUniform([600, 784], 0, 1, 'float32', 1);
  const labels = tensor1d(Array.from({ length: 600 }, (_, i) => i % 10), 'int32');
  const yTrain = oneHot(labels, 10);
  const train = fromArrays(xTrain, yTrain).shuffle(600, { seed: 1 }).batch(128).prefetch(2);
  const shapes: number[][] = [];
  for await (const { x, y } of train) {
    shapes.push([...x.shape, ...y.shape]);
    dispose([x, y]);
  }
  expect(shapes).toEqual([...Array.from({ length: 4 }, () => [128, 784, 128, 10]), [88, 784, 88, 10]]);

  const images = zip({ x: idx(join(fixtures, 'images.idx.gz')), y: idx(join(fixtures, 'labels.idx.gz')) });
  expect(images.size).toBe(100);
  const rows = csv('sepal,petal,species\n5.1,1.4,0\n4.9,1.5,1\n', { labelColumns: ['species'], features: 'array' }).batch(32);
  const [b] = await rows.toArray();
  expect([b.x.shape, b.y.shape]).toEqual([[2, 2], [2]]);

  // the model loop of the element contract
  for await (const element of fromArrays(xTrain, yTrain).batch(256)) {
    const { x, y, sampleWeight } = unpackXYSampleWeight(element);
    expect([x, y, sampleWeight]).toEqual([element.x, element.y, undefined]);
    dispose(element as unknown as TensorContainer);
  }
  dispose([xTrain, yTrain, labels, b.x, b.y]);
  expect(memory().numTensors).toBe(before);
});
