// Calling a user's function on an element. A plain function runs inside tidy(), so the tensors it
// makes and does not return are released; an `async` function cannot (tidy would release tensors
// it still needs after an await), so it runs as is and must release its own intermediates.
import { tidy, type Tensor } from '@neurona/tensor';
import { tensorsOf } from '../element';
import { isAsyncFunction, isThenable } from '../guards';

/** Run `fn(arg)`: plain functions inside tidy, async functions as they are. */
export async function callUser<A, R>(fn: (arg: A) => R | Promise<R>, arg: A, who: string): Promise<R> {
  if (isAsyncFunction(fn)) return await fn(arg);
  let out: R | undefined;
  let promise: PromiseLike<unknown> | undefined;
  tidy(() => {
    const r = fn(arg);
    if (isThenable(r)) {
      promise = r;
      return [] as Tensor[];
    }
    out = r as R;
    return tensorsOf(r);
  });
  if (promise) {
    // Its tensors made before the first await were already released by tidy: refuse it clearly.
    await Promise.resolve(promise).then(
      () => undefined,
      () => undefined,
    );
    throw new Error(
      `${who}: the function returned a Promise but is not declared async. Declare it \`async\` (it then runs outside tidy(), ` +
        'so release the tensors it makes and does not return), or make it synchronous',
    );
  }
  return out as R;
}
