// The course's advice ("Consejos") as checks: `advise` reads a model and its fit settings and
// says what is likely to go wrong, in plain words (fit prints the same findings by itself).
import { useNodeBackend, Sequential, Flatten, Dense, SGD, advise, formatFindings } from 'neurona';

await useNodeBackend({ silent: true });

// sigmoid hidden layers, a mean-squared-error loss on a softmax output,
// a learning rate of 5 and a batch of 100: each is worth a second look
const model = Sequential([
  Flatten({ inputShape: [28, 28] }),
  Dense(128, { activation: 'sigmoid', kernelInitializer: 'he_normal' }),
  Dense(128, { activation: 'sigmoid', kernelInitializer: 'he_normal' }),
  Dense(10, { activation: 'softmax' }),
]);
model.compile({ loss: 'mse', optimizer: SGD(5) });
console.log(formatFindings(advise(model, { batchSize: 100, epochs: 10 })));

// Keras's defaults (ReLU with Glorot uniform, softmax with categorical cross-entropy) raise nothing
const plain = Sequential([Flatten({ inputShape: [28, 28] }), Dense(128, { activation: 'relu' }), Dense(10, { activation: 'softmax' })]);
plain.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.01) });
console.log(advise(plain, { batchSize: 32, epochs: 10 }).length);   // 0
