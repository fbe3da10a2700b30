import { checkOptions } from '@neurona/common';
import { isSymbolic } from '@neurona/layers';
import type { SymbolicTensor } from '@neurona/layers';
import type { Tensor } from '@neurona/tensor';
import { Graph } from './graph';
import { LayersModel, libraryModelClass } from './model';
import type { ModelOutput } from './model';
import { uniqueModelName } from './names';

/** Arguments of `Model`, as Keras's `Model(inputs=..., outputs=...)`. */
export interface ModelArgs {
  /** The `Input(...)` tensor(s). */
  inputs: SymbolicTensor | SymbolicTensor[];
  /** The symbolic tensor(s) computed from the inputs by calling layers. */
  outputs: SymbolicTensor | SymbolicTensor[];
  /** Default `'model'`, `'model_1'`, ... */
  name?: string;
}

/**
 * A functional model: a graph of layers from `inputs` to `outputs`. `Out` is what `predict`
 * returns (`Tensor` for one output, `Tensor[]` for several); `Model()` infers it from `outputs`.
 */
export class FunctionalModel<Out extends ModelOutput = ModelOutput> extends LayersModel<Out> {
  /** Keras 3's class name of functional models. */
  static override readonly className: string = 'Functional';

  constructor(args: ModelArgs) {
    if (typeof args !== 'object' || args === null) {
      throw new Error(`Model: expects { inputs, outputs }, e.g. Model({ inputs, outputs: x }), got ${String(args)}`);
    }
    checkOptions('Model', args, ['inputs', 'outputs', 'name']);
    super({ name: args.name === undefined ? uniqueModelName('model') : args.name });
    const name = this.name;
    const inputs = Array.isArray(args.inputs) ? args.inputs : [args.inputs];
    const outputs = Array.isArray(args.outputs) ? args.outputs : [args.outputs];
    const check = (what: string, list: unknown[]) => {
      if (list.length === 0) throw new Error(`Model "${name}": ${what} is empty`);
      list.forEach((t, i) => {
        if (!isSymbolic(t)) {
          throw new Error(
            `Model "${name}": ${what}${list.length > 1 ? `[${i}]` : ''} must be a symbolic tensor from Input() or a layer applied to one, got ${
              t === null || t === undefined ? String(t) : typeof t
            }`,
          );
        }
      });
    };
    check('inputs', inputs);
    check('outputs', outputs);
    inputs.forEach((t, i) => {
      const node = t.sourceLayer.inboundNodes[t.nodeIndex];
      if (!node || !node.isInput) {
        throw new Error(
          `Model "${name}": inputs${inputs.length > 1 ? `[${i}]` : ''} ("${t.name}") must come straight from Input(), ` +
            `but it is the output of layer "${t.sourceLayer.name}"`,
        );
      }
    });
    if (new Set(inputs).size !== inputs.length) throw new Error(`Model "${name}": the same Input appears twice in inputs`);
    this.setGraph(new Graph(inputs, outputs));
  }
}

libraryModelClass(FunctionalModel);

/** The type of what `Model()` returns; `Model<Tensor>` for one output, `Model<Tensor[]>` for several. */
export type Model<Out extends ModelOutput = ModelOutput> = FunctionalModel<Out>;

/**
 * A functional model, as Keras's `Model(inputs=inputs, outputs=x)`:
 * `const inputs = Input({ shape: [28, 28] }); let h = Flatten()(inputs); h = Dense(10, { activation: 'softmax' })(h);
 * const model = Model({ inputs, outputs: h });`
 *
 * With one output (`outputs: h` or `[h]`), `predict` returns a `Tensor`; with a list of two or
 * more, `Tensor[]`; with a list whose length the types do not know, `Tensor | Tensor[]`.
 */
export function Model(args: Omit<ModelArgs, 'outputs'> & { outputs: SymbolicTensor | [SymbolicTensor] }): Model<Tensor>;
export function Model(args: Omit<ModelArgs, 'outputs'> & { outputs: [SymbolicTensor, SymbolicTensor, ...SymbolicTensor[]] }): Model<Tensor[]>;
export function Model(args: ModelArgs): Model;
export function Model(args: ModelArgs): Model {
  return new FunctionalModel(args);
}
