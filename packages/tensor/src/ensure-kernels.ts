// A page may ship some kernels and gradients as lazy chunks (the Vite plugins of
// @neurona/backend-web): those only the tape's training step uses, when the page's first visit
// trains on a compiled plan. Whoever runs the tape awaits `ensureKernels()` first; the web
// backend package sets the loader. In Node, and in a page that defers nothing, it is a no-op.

type KernelLoader = () => Promise<void>;

let loader: KernelLoader | null = null;
let pending: Promise<void> | null = null;

/**
 * Make sure every kernel and gradient the page's bundle deferred is registered (a lazy chunk,
 * loaded once). @neurona/models awaits it before training on the gradient tape; call it yourself
 * before computing gradients (`valueAndGradients`, `variableGrads`) outside `fit` in a page whose
 * bundle defers them. Resolves at once when nothing is deferred. A failed load rejects, and the
 * next call tries again.
 *
 * ```ts
 * await ensureKernels();
 * const { loss, grads } = valueAndGradients(() => lossOf(model));
 * ```
 */
export function ensureKernels(): Promise<void> {
  if (!loader) return Promise.resolve();
  pending ??= loader().catch((err: unknown) => {
    pending = null;
    throw err;
  });
  return pending;
}

/**
 * Set what `ensureKernels()` runs: a backend package's loader of the kernels and gradients a
 * bundle deferred (`loadLaterKernels` of @neurona/backend-web). `null` removes it. The loader
 * must be safe to call again (it is, once a call resolved, not called again).
 */
export function setKernelLoader(load: KernelLoader | null): void {
  loader = load;
  pending = null;
}
