// The Node side of the shared model: `pnpm --filter mnist-model start [-- --model mlp --epochs 5 --samples 10000]`.
// The same buildModel/trainModel the browser page calls, on the fastest Node backend.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { useNodeBackend } from '@neurona/backend-node';
import { trainValTestSplit } from '@neurona/data-split';
import { loadMnist } from '@neurona/datasets';
import { classificationReport, historyToSvg } from '@neurona/metrics';
import { argMax, dispose } from '@neurona/tensor';
import { buildModel, isModelKind, MODEL_KINDS } from './build-model';
import { predictProbabilities } from './predict';
import { trainModel } from './train';

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'mlp' },
    epochs: { type: 'string' },
    samples: { type: 'string' },
    out: { type: 'string', default: 'training-curves.svg' },
  },
});
const kind = values.model;
if (!isModelKind(kind)) throw new Error(`--model must be one of ${MODEL_KINDS.join(', ')}, got ${kind}`);

await useNodeBackend();
const { x, y } = await loadMnist({ limit: positiveInt('samples', values.samples) });
const split = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
dispose([x, y]);

const model = buildModel(kind, { seed: 42 });
model.summary();
const H = await trainModel(model, kind, split, { epochs: positiveInt('epochs', values.epochs), verbose: 1 });

const probs = predictProbabilities(model, split.xTest);
const [yTrue, yPred] = [argMax(split.yTest, 1), argMax(probs, 1)];
console.log(classificationReport(yTrue, yPred, { digits: 3, zeroDivision: 0 }));
writeFileSync(values.out, historyToSvg(H));
console.log(`training curves written to ${values.out}`);
dispose([yTrue, yPred, probs, split.xTrain, split.yTrain, split.xVal, split.yVal, split.xTest, split.yTest]);
model.dispose();
