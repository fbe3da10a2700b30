// The course's four losses, by their Keras names, on one small example each.
import { useNodeBackend, tensor2d, losses } from 'neurona';

await useNodeBackend({ silent: true });

// regression: predictions against real-valued targets
const target = tensor2d([[1.5], [0.0], [-2.0]]);
const predicted = tensor2d([[1.0], [0.5], [-1.0]]);
losses.get('mean_squared_error')(target, predicted).print();    // ((0.5)² + (0.5)² + 1²) / 3 = 0.5
losses.get('mean_absolute_error')(target, predicted).print();   // (0.5 + 0.5 + 1) / 3 ≈ 0.667

// binary classification: one probability per example
const labels = tensor2d([[1], [0], [1]]);
const probabilities = tensor2d([[0.9], [0.2], [0.6]]);
losses.get('binary_crossentropy')(labels, probabilities).print();   // −mean(ln 0.9, ln 0.8, ln 0.6) ≈ 0.280

// multi-class: one-hot targets, softmax outputs
const oneHot = tensor2d([[0, 1, 0], [0, 0, 1]]);
const softmaxOut = tensor2d([[0.1, 0.8, 0.1], [0.2, 0.3, 0.5]]);
losses.get('categorical_crossentropy')(oneHot, softmaxOut).print();  // −mean(ln 0.8, ln 0.5) ≈ 0.458
