// Saving and loading: a folder in TensorFlow.js's Layers format (architecture, weights and the
// optimizer's state, so training resumes where it stopped), and Keras's own .keras file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@neurona/keras';   // teaches saveModel / loadModel the .keras and .h5 formats
import { useNodeBackend, Sequential, Dense, Adam, saveModel, loadModel, tensor2d, setSeed, type Tensor } from 'neurona';

await useNodeBackend({ silent: true });
setSeed(3);
const x = tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = tensor2d([[0], [1], [1], [0]]);
const model = Sequential([Dense(8, { inputShape: [2], activation: 'relu' }), Dense(1, { activation: 'sigmoid' })]);
model.compile({ loss: 'binary_crossentropy', optimizer: Adam(0.05), metrics: ['accuracy'] });
await model.fit(x, y, { epochs: 50, verbose: 0 });

const dir = mkdtempSync(join(tmpdir(), 'neurona-save-'));
await saveModel(model, join(dir, 'xor'));                 // a folder: model.json + weights.bin, written atomically
const again = await loadModel(join(dir, 'xor'));          // compiled, with Adam's moments restored
await again.fit(x, y, { epochs: 50, verbose: 0 });         // ... so training continues

await saveModel(model, join(dir, 'xor.keras'));           // Keras 3's format: keras.saving.load_model reads it
const fromKeras = await loadModel(join(dir, 'xor.keras'));
const predicted = fromKeras.predict(x) as Tensor;           // a loaded model's outputs are not known to TypeScript
console.log(Array.from(await predicted.data()).map((p) => p.toFixed(2)));
