// Type-level tests (checked by `pnpm --filter @neurona/models typecheck`, and run by vitest): what
// predict and evaluate return, so that the course's `predictions.argMax(1)` needs no cast.
import { describe, expectTypeOf, it } from 'vitest';
import { zeros } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, Flatten, Input } from '@neurona/layers';
import type { SymbolicTensor } from '@neurona/layers';
import { Sequential } from '../src/sequential';
import type { SequentialModel } from '../src/sequential';
import { Model } from '../src/functional';
import type { LayersModel, ModelOutput } from '../src/model';
import { loadModel } from '../src/io';

/** Types only: never run (nothing is compiled). */
function evaluateTypes(model: SequentialModel, x: Tensor, flag: boolean): void {
  expectTypeOf(model.evaluate(x, x, { returnDict: true })).resolves.toEqualTypeOf<Record<string, number>>();
  expectTypeOf(model.evaluate(x, x)).resolves.toEqualTypeOf<number | number[]>();
  expectTypeOf(model.evaluate(x, x, { batchSize: 8, returnDict: false })).resolves.toEqualTypeOf<number | number[]>();
  expectTypeOf(model.evaluate(x, x, { returnDict: flag })).resolves.toEqualTypeOf<number | number[] | Record<string, number>>();
}

describe('predict and evaluate types', () => {
  it('a Sequential predicts a Tensor (the course: predictions.argMax(1) without a cast)', () => {
    const model = Sequential([Flatten({ inputShape: [2, 2] }), Dense(3, { activation: 'softmax' })]);
    expectTypeOf(model).toEqualTypeOf<SequentialModel>();
    const predictions = model.predict(zeros([1, 2, 2]), { batchSize: 128 });
    expectTypeOf(predictions).toEqualTypeOf<Tensor>();
    expectTypeOf(model.predictOnBatch(zeros([1, 2, 2]))).toEqualTypeOf<Tensor>();
    const labels = predictions.argMax(1);
    expectTypeOf(labels).toEqualTypeOf<Tensor>();
    labels.dispose();
    predictions.dispose();
    model.dispose();
  });

  it('a functional Model: Tensor for one output, Tensor[] for several, the union when unknown', () => {
    const a = Input({ shape: [3], name: 'a' });
    const h = Dense(2)(a);
    const one = Model({ inputs: a, outputs: h });
    const x = zeros([1, 3]);
    // (predict is overloaded — arrays give the outputs, a dataset a promise of them — so the
    // types are read from calls)
    expectTypeOf(one.predict(x)).toEqualTypeOf<Tensor>();
    const oneList = Model({ inputs: [a], outputs: [h] });
    expectTypeOf(oneList.predict(x)).toEqualTypeOf<Tensor>();
    const two = Model({ inputs: a, outputs: [h, Dense(1)(h)] });
    expectTypeOf(two.predict(x)).toEqualTypeOf<Tensor[]>();
    const outs: SymbolicTensor[] = [h];
    const unknown = Model({ inputs: a, outputs: outs });
    expectTypeOf(unknown.predict(x)).toEqualTypeOf<Tensor | Tensor[]>();
    // a dataset: a promise of the same (types only: not run)
    const onDataset = (ds: AsyncIterable<unknown>) => one.predict(ds);
    expectTypeOf(onDataset).returns.toEqualTypeOf<Promise<Tensor>>();
    // every model is still a LayersModel (of unknown output)
    expectTypeOf(one).toMatchTypeOf<LayersModel>();
    expectTypeOf(two).toMatchTypeOf<LayersModel>();
    expectTypeOf((one as LayersModel).predict(x)).toEqualTypeOf<ModelOutput>();
    for (const m of [oneList, unknown]) m.dispose();
    x.dispose();
    expectTypeOf(loadModel).returns.resolves.toEqualTypeOf<LayersModel>();
    for (const m of [one, two]) m.dispose();
  });

  it('evaluate: a record with returnDict: true, else the loss or [loss, ...metrics]', () => {
    expectTypeOf(evaluateTypes).toBeFunction();
  });
});
