// Train, validation and test sets, as the course splits them: 70 / 10 / 20, stratified (each
// digit in the same proportion in all three), seeded (the same split on every run).
import { useNodeBackend, loadMnist, trainValTestSplit } from 'neurona';

await useNodeBackend({ silent: true });
const { x, y } = await loadMnist({ limit: 1000 });
const { xTrain, xVal, xTest, yTrain, yVal, yTest } =
  trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
console.log(xTrain.shape, xVal.shape, xTest.shape);   // [700, 28, 28] [100, 28, 28] [200, 28, 28]

// how many of each digit each set holds: every set keeps the data's class proportions
const perClass = async (t: typeof yTrain) => Array.from(await t.sum(0).data());
console.log('train', await perClass(yTrain));
console.log('val  ', await perClass(yVal));
console.log('test ', await perClass(yTest));
