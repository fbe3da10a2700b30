// Keras's Lambda layer runs a Python function. neurona never runs code from a file: a lambda's
// bytecode is always refused, and a named function is used only when the program registered a
// JavaScript function under that name beforehand (the opt-in, as Keras's custom_objects).
import { Layer, registerLayer, registry as layerRegistry } from '@neurona/layers';
import type { CallKwargs, LayerConfig } from '@neurona/layers';
import type { Shape, Tensor } from '@neurona/tensor';

/** A function a Lambda layer may name: tensor in, tensor out. */
export type KerasFunction = (x: Tensor) => Tensor;

const functions = new Map<string, KerasFunction>();

/** The function registered under `name`, if any. */
export function kerasFunction(name: string): KerasFunction | undefined {
  return functions.get(name);
}

/** A Lambda layer whose function is a registered JavaScript function (shape-preserving unless output_shape says). */
class KerasLambdaLayer extends Layer {
  static override readonly className: string = 'Lambda';
  readonly fnName: string;
  private readonly fixedShape: (number | null)[] | null;

  constructor(config: LayerConfig) {
    const { function: fn, outputShape, ...rest } = config as { function: string; outputShape?: (number | null)[] | null } & LayerConfig;
    super(rest, []);
    this.fnName = fn;
    this.fixedShape = outputShape ?? null;
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const fn = functions.get(this.fnName);
    if (!fn) throw new Error(`Lambda "${this.name}": no function "${this.fnName}" is registered (registerKerasFunction)`);
    return fn(inputs as Tensor);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    return this.fixedShape ? [s[0], ...this.fixedShape] : s;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), function: this.fnName, outputShape: this.fixedShape };
  }
}

/**
 * Let Keras files whose `Lambda` layers name the Python function `name` load, running `fn`
 * instead (it must compute the same thing). Lambdas saved as Python bytecode are always refused.
 * The output shape is the input's unless the file's `output_shape` says otherwise.
 */
export function registerKerasFunction(name: string, fn: KerasFunction): void {
  if (typeof name !== 'string' || name.length === 0) throw new Error(`registerKerasFunction: name must be a non-empty string, got ${String(name)}`);
  if (typeof fn !== 'function') throw new Error(`registerKerasFunction("${name}"): expected a function (x: Tensor) => Tensor, got ${typeof fn}`);
  functions.set(name, fn);
  if (!layerRegistry.has('Lambda')) registerLayer('Lambda', (c) => new KerasLambdaLayer(c));
}
