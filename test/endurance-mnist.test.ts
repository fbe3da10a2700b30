import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { L, M, O, T } from './bad-inputs/packages';

// The MLP 784-128-10 on the embedded MNIST digits for many epochs, with memory flat: tensors alive
// identical after every epoch and resident memory (RSS) not growing. The default run is short;
// NEURONA_ENDURANCE=1 runs the full 50 epochs on all 10,000 digits and prints the RSS figures.

const FULL = process.env.NEURONA_ENDURANCE === '1';
const EPOCHS = FULL ? 50 : 3;
const SAMPLES = FULL ? 10_000 : 600;
const MB = 1024 * 1024;

// A full garbage collection before each reading, so that lazily collected garbage does not look
// like growth (the test process was not started with --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('endurance: MNIST MLP', () => {
  it(`${EPOCHS} epochs of 784-128-10 on ${SAMPLES} digits keep memory flat`, async () => {
    const datasets = await import('../packages/datasets/dist/index.js');
    const { x, y } = await datasets.loadMnist({ limit: SAMPLES });
    L.resetNames();
    T.setSeed(42);
    const model = M.Sequential();
    model.add(L.Flatten({ inputShape: [28, 28] }));
    model.add(L.Dense(128, { activation: 'relu' }));
    model.add(L.Dense(10, { activation: 'softmax' }));
    model.compile({ loss: 'categorical_crossentropy', optimizer: O.SGD(0.1), metrics: ['accuracy'] });
    const tensors: number[] = [];
    const rss: number[] = [];
    const heap: number[] = [];
    const external: number[] = [];
    const t0 = Date.now();
    const h = await model.fit(x, y, {
      epochs: EPOCHS,
      batchSize: 128,
      validationSplit: 0.1,
      verbose: 0,
      callbacks: [
        {
          onEpochEnd: () => {
            gc();
            const m = process.memoryUsage();
            tensors.push(T.memory().numTensors);
            rss.push(m.rss);
            heap.push(m.heapUsed);
            external.push(m.external);
          },
        },
      ],
    });
    const seconds = (Date.now() - t0) / 1000;
    // RSS settles over the first epochs (allocator pools, JIT); compare the rest
    const settle = Math.min(3, EPOCHS - 2);
    const start = rss[settle];
    const end = rss[rss.length - 1];
    const peak = Math.max(...rss.slice(settle));
    console.log(
      `endurance: ${EPOCHS} epochs x ${SAMPLES} digits in ${seconds.toFixed(1)} s; RSS after epoch 1 ${(rss[0] / MB).toFixed(1)} MB, ` +
        `after epoch ${settle + 1} ${(start / MB).toFixed(1)} MB, at the end ${(end / MB).toFixed(1)} MB (peak ${(peak / MB).toFixed(1)} MB); ` +
        `tensors alive ${tensors[0]} → ${tensors[tensors.length - 1]}; final accuracy ${h.history.accuracy.at(-1)?.toFixed(3)}, val ${h.history.val_accuracy.at(-1)?.toFixed(3)}; ` +
        `backend ${T.getBackend()}; JS heap ${(heap[settle] / MB).toFixed(1)} → ${(heap[heap.length - 1] / MB).toFixed(1)} MB, ` +
        `external ${(external[settle] / MB).toFixed(1)} → ${(external[external.length - 1] / MB).toFixed(1)} MB; ` +
        `RSS by epoch (MB): ${rss.map((r) => (r / MB).toFixed(0)).join(' ')}`,
    );
    expect(new Set(tensors).size).toBe(1);
    expect(end - start).toBeLessThan(64 * MB);
    // what the library holds: tensor memory (external) flat, the JS heap (History, logs) barely growing
    expect(Math.abs(external[external.length - 1] - external[settle])).toBeLessThan(8 * MB);
    expect(heap[heap.length - 1] - heap[settle]).toBeLessThan(8 * MB);
    expect(h.history.val_accuracy[h.history.val_accuracy.length - 1]).toBeGreaterThan(FULL ? 0.85 : 0.2);
    model.dispose();
    x.dispose();
    y.dispose();
  }, FULL ? 1_800_000 : 300_000);
});
