// The course's activation functions, evaluated on [−4, 4]; writes activations.json, the curves
// the site plots. Maxout is also a layer: max over `pieces` linear units.
import { writeFileSync } from 'node:fs';
import { useNodeBackend, tensor1d, tensor2d, activations, Sequential, Maxout } from 'neurona';

await useNodeBackend({ silent: true });
const xs = Array.from({ length: 81 }, (_, i) => -4 + i * 0.1);
const x = tensor1d(xs);
const curves = {
  sigmoid: activations.sigmoid(x),
  tanh: activations.tanh(x),
  ReLU: activations.relu(x),
  'leaky ReLU (0.1)': activations.leakyRelu(x, 0.1),
  'ELU (α = 1)': activations.elu(x),
};
const series = [];
for (const [label, t] of Object.entries(curves)) {
  const ys = Array.from(await t.data());
  series.push({ label, points: xs.map((v, i) => [v, ys[i]]) });
  console.log(`${label.padEnd(16)} f(−2) = ${ys[20].toFixed(3)}  f(2) = ${ys[60].toFixed(3)}`);
}
writeFileSync('activations.json', JSON.stringify({ title: 'Activation functions', x: 'x', y: 'f(x)', logY: false, series }));

// Maxout: the maximum of `pieces` linear units; as a function, over consecutive pairs
activations.maxout(tensor2d([[1, 5, 3, 2]]), 2).print();            // [[5, 3]]
// as a layer, max(w1ᵀx + b1, w2ᵀx + b2) for each of 4 units, with its own weights
const model = Sequential([Maxout(4, { pieces: 2, inputShape: [3] })]);
console.log(model.predict(tensor2d([[1, 2, 3]])).shape);            // [1, 4]
