import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, Variable, DataType, NamedTensorMap, Scalar } from '@tensorflow/tfjs-core';

/** `base` when no live variable has that name, else the first free `base_1`, `base_2`, ... */
function freeName(base: string): string {
  const taken = tfc.engine().registeredVariables;
  if (!(base in taken)) return base;
  let i = 1;
  while (`${base}_${i}` in taken) i++;
  return `${base}_${i}`;
}

/**
 * A trainable (or not) mutable tensor: `variable(zeros([2, 2]), true, 'dense/kernel')`.
 *
 * Names are unique among live variables. `name` is used when no live variable has it; otherwise
 * the variable gets the first free one of `name_1`, `name_2`, ... (read it back from `v.name`).
 * tfjs itself throws on a duplicate name; two layers may legitimately share one (an explicit
 * `name`, a reloaded model). Without `name` (or with `''`), tfjs makes a unique one. A disposed
 * variable's name is free again.
 */
export function variable(initial: Tensor, trainable = true, name?: string, dtype?: DataType): Variable {
  if (name != null && typeof name !== 'string') throw new Error(`variable: name must be a string, got ${typeof name}`);
  return tfc.variable(initial, trainable, name ? freeName(name) : undefined, dtype);
}

/** Gradients of the scalar `f(...xs)` with respect to each of `xs`. */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => Tensor[] {
  return tfc.grads(f);
}

/** Value and gradients of the scalar `f(...xs)`. */
export function valueAndGrads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return tfc.valueAndGrads(f);
}

/** Value of `f()` and its gradients with respect to variables (all trainable ones when `varList` is omitted). */
export function variableGrads(f: () => Scalar, varList?: Variable[]): { value: Scalar; grads: NamedTensorMap } {
  return tfc.variableGrads(f, varList);
}

/**
 * An op with a hand-written gradient.
 * `customGrad((x, save) => { save([x]); return { value: x.square(), gradFunc: (dy, [x]) => [dy.mul(x).mul(2)] }; })`
 */
export const customGrad = tfc.customGrad;

/** What the function given to `valueAndGradients` returns: the scalar loss, or it with other results. */
export type LossAndExtras = Scalar | ({ loss: Scalar } & Record<string, unknown>);

type Extras<R> = R extends { loss: Scalar } ? Omit<R, 'loss'> : Record<string, never>;

const NO_CONNECTION = /Cannot find a connection between any variable and the result of the loss function/;

/**
 * Keras's `GradientTape` in one call: runs `fn` (which returns the scalar loss, or `{ loss, ...rest }`
 * to get other results out, such as the predictions) and returns the loss, the gradients of the
 * loss with respect to `variables`, in the same order (`null` for a variable the loss does not
 * depend on, or a non-trainable one, as the tape's `None`), and `rest`. Tensors in `rest` (or
 * arrays of them) belong to the caller's scope like any other result.
 *
 * ```ts
 * const { loss, grads, yPred } = valueAndGradients(() => {
 *   const yPred = model.apply(x, { training: true });
 *   return { loss: model.computeLoss({ x, y, yPred }), yPred };
 * }, model.trainableWeights);
 * model.optimizer.apply(grads, model.trainableWeights);
 * ```
 */
export function valueAndGradients<R extends LossAndExtras>(
  fn: () => R,
  variables: Variable[],
): { loss: Scalar; grads: (Tensor | null)[] } & Extras<R> {
  let extras: Record<string, unknown> = {};
  const kept: Tensor[] = [];
  const keepAll = (v: unknown): unknown => {
    if (v instanceof tfc.Tensor) {
      kept.push(tfc.keep(v));
      return v;
    }
    if (Array.isArray(v)) return v.map(keepAll);
    return v;
  };
  const trainable = variables.filter((v) => v.trainable);
  let result: { value: Scalar; grads: NamedTensorMap };
  try {
    if (trainable.length === 0) {
      // nothing to differentiate (all frozen): the value alone, as a tape would give
      result = { value: tfc.tidy(() => unpack()), grads: {} };
    } else {
      result = tfc.variableGrads(unpack, trainable);
    }
  } catch (e) {
    for (const t of kept) t.dispose();
    if (e instanceof Error && NO_CONNECTION.test(e.message)) {
      throw new Error(
        'valueAndGradients: the loss does not depend on any of the variables given (for a model: on its trainable weights through its output); ' +
          'compute the loss from the predictions made inside the function',
        { cause: e },
      );
    }
    throw e;
  }
  // kept tensors escape every scope: hand the caller fresh handles in its own scope instead
  const own = (v: unknown): unknown => {
    if (v instanceof tfc.Tensor) {
      const c = tfc.clone(v);
      return c;
    }
    if (Array.isArray(v)) return v.map(own);
    return v;
  };
  extras = Object.fromEntries(Object.entries(extras).map(([k, v]) => [k, own(v)]));
  for (const t of kept) t.dispose();
  const grads = variables.map((v) => (v.trainable ? (result.grads[v.name] ?? null) : null));
  return { ...(extras as Extras<R>), loss: result.value, grads };

  function unpack(): Scalar {
    const out = fn();
    if (out instanceof tfc.Tensor) return out as Scalar;
    if (out === null || typeof out !== 'object' || !((out as { loss?: unknown }).loss instanceof tfc.Tensor)) {
      throw new Error(`valueAndGradients: the function must return the scalar loss or { loss, ...others }, got ${typeof out}`);
    }
    const { loss, ...rest } = out as { loss: Scalar } & Record<string, unknown>;
    if (loss.rank !== 0) throw new Error(`valueAndGradients: the loss must be a scalar, got shape [${loss.shape.join(', ')}]`);
    extras = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, keepAll(v)]));
    return loss;
  }
}
