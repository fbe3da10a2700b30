// Whether an opened .keras model is an MNIST model, and the shape it takes one digit in. Only the
// "Open a .keras model" path needs it: main.ts imports it on demand, with the Keras reader.
import type { LayersModel } from '@neurona/models';
import type { DigitModel } from './digit-model';

/** The per-digit input shapes an MNIST model may take, as Keras writes them. */
const MNIST_INPUTS: readonly (readonly number[])[] = [[28, 28], [784], [28, 28, 1]];

const show = (shape: readonly (number | null)[]) => `[${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;

/**
 * The per-digit input shape of a model with input `input` and output `output` (batch first, null),
 * or an error saying what an MNIST model must look like and what this one has.
 */
export function mnistDigitShape(input: readonly (number | null)[], output: readonly (number | null)[]): number[] {
  const digit = MNIST_INPUTS.find((s) => input.length === s.length + 1 && input[0] === null && s.every((d, i) => input[i + 1] === d));
  if (!digit) throw new Error(`the model's input is ${show(input)}; an MNIST model takes [null, 28, 28], [null, 784] or [null, 28, 28, 1]`);
  if (output.length !== 2 || output[1] !== 10) throw new Error(`the model's output is ${show(output)}; an MNIST model gives [null, 10] (one probability per digit)`);
  return [...digit];
}

/** Wrap a model with one input and one output for the page; throws when it is not MNIST-shaped. */
export function digitModel(model: LayersModel): DigitModel {
  const [inputs, outputs] = [model.inputs, model.outputs];
  if (inputs.length !== 1 || outputs.length !== 1) throw new Error(`the model has ${inputs.length} inputs and ${outputs.length} outputs; an MNIST model has one of each`);
  return { model, digitShape: mnistDigitShape(inputs[0].shape, outputs[0].shape) };
}

