// `model.predict` on a dataset, loaded on demand (`predict(dataset)` is asynchronous): a page that
// predicts on arrays does not download it.
import { clone, concat, dispose, ensureKernels, tidy } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { unpackXYSampleWeight } from '@neurona/data';
import { streamInfinite, type BatchStream } from './batches';
import type { LayersModel } from './model';
import { overrides } from './model';
import type { PredictOptions } from './predict';
import { prepareLoose, prepareX } from './prepare';
import { checkCommonOptions, checkInt } from './validate';

/**
 * `model.predict` on a dataset (or an async iterable of batches): each element's `x` (its `y`,
 * if any, is ignored) run in inference mode, the outputs concatenated. Asynchronous, since a
 * dataset is read with `for await`. Every element is released after its batch.
 */
export async function predictStream(model: LayersModel, stream: BatchStream, options: PredictOptions = {}): Promise<Tensor | Tensor[]> {
  const where = 'predict';
  checkCommonOptions(where, options, ['steps', 'verbose']);
  if (options.steps !== undefined) checkInt(where, 'steps', options.steps, 1);
  if (streamInfinite(stream) && options.steps === undefined) throw new Error(`${where}: the dataset is infinite (repeat()): give steps`);
  const custom = overrides(model, 'predictStep') || overrides(model, 'call') || (model.graphOrNull === null && model.kind !== 'Sequential');
  // it runs on the tape: the kernels a page's bundle may have deferred
  await ensureKernels();
  const parts: Tensor[][] = [];
  const it = (stream as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator]
    ? (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]()
    : (stream as unknown as Iterable<unknown>)[Symbol.iterator]();
  try {
    for (let b = 0; options.steps === undefined || b < options.steps; b++) {
      const r = await it.next();
      if (r.done) {
        if (options.steps !== undefined) throw new Error(`${where}: the dataset ran out of data after ${b} batches; steps is ${options.steps}`);
        if (b === 0) throw new Error(`${where}: the dataset yielded no batches`);
        break;
      }
      const element = r.value;
      try {
        const { x } = unpackXYSampleWeight(element);
        const prep = custom ? prepareLoose(model, where, x) : prepareX(model, where, x, `dataset batch ${b} x`);
        try {
          parts.push(tidy(() => {
            const outs = custom || !prep.graph ? asList(model.predictStep([prep.xs.length === 1 ? prep.xs[0] : prep.xs])) : prep.graph.run(prep.xs, false, false).outputs;
            return outs.map((o) => (prep.xs.includes(o) ? clone(o) : o));
          }));
        } finally {
          for (const t of prep.owned) t.dispose();
        }
      } finally {
        dispose(element as never);
      }
    }
    const outs = parts[0].map((_, k) => tidy(() => concat(parts.map((p) => p[k]), 0)));
    return outs.length === 1 ? outs[0] : outs;
  } finally {
    for (const p of parts) dispose(p);
    const ret = it.return?.bind(it);
    if (ret) void Promise.resolve(ret()).catch(() => undefined);
  }
}

function asList(x: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(x) ? x : [x];
}
