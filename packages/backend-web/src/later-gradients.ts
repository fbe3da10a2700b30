// The gradients a page deferred (`later` of `neuronaRegistrations`, @neurona/backend-web/vite-plugin),
// registered on request. Without the plugin @neurona/tensor registers every gradient at import,
// so this module has nothing to do; the plugin replaces it in a page's bundle with one that
// imports the deferred gradients' chunk.

/** Register the gradients deferred at bundle time (none here). */
export async function registerLaterGradients(): Promise<void> {}
