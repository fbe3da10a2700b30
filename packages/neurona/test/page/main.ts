// A page that imports only `neurona` (and `neurona/vite` for the wasm binaries): the package's
// `browser` condition must give it @neurona/backend-web, and a model must train.
import { useWebBackend, Sequential, Dense, Adam, tensor2d, setSeed, plotModel, getBackendInfo } from 'neurona';
import { wasmPaths } from 'neurona/vite';
import type { PageResult } from './result';

async function run(): Promise<PageResult> {
  const force = new URLSearchParams(location.search).get('backend') ?? 'wasm';
  await useWebBackend({ force, wasmPaths, silent: true });
  setSeed(3);
  // 128 points of the plane, labelled by the side of the line x + 2y = 0.5 they fall on
  const points: number[][] = [];
  const labels: number[][] = [];
  for (let i = 0; i < 128; i++) {
    const [a, b] = [Math.sin(i * 12.9898) * 2, Math.cos(i * 78.233) * 2];
    points.push([a, b]);
    labels.push([a + 2 * b > 0.5 ? 1 : 0]);
  }
  const [x, y] = [tensor2d(points), tensor2d(labels)];
  const model = Sequential();
  model.add(Dense(8, { inputShape: [2], activation: 'relu' }));
  model.add(Dense(1, { activation: 'sigmoid' }));
  model.compile({ loss: 'binary_crossentropy', optimizer: Adam(0.05), metrics: ['accuracy'] });
  const H = await model.fit(x, y, { epochs: 40, batchSize: 32, verbose: 0 });
  const accuracy = (await model.evaluate(x, y, { returnDict: true }))['accuracy'];
  const svg = plotModel(model);
  document.getElementById('plot')!.innerHTML = svg;
  x.dispose();
  y.dispose();
  return { backend: getBackendInfo().name, loss: H.history['loss'], accuracy, svg };
}

const w = window as unknown as { neuronaResult?: PageResult };
run().then(
  (r) => (w.neuronaResult = r),
  (err: unknown) => (w.neuronaResult = { backend: '', loss: [], accuracy: 0, svg: '', error: String((err as Error)?.stack ?? err) }),
);
