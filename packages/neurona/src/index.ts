// neurona: the whole public API in one import, for Node.js (package.json "exports": the `node`,
// `import` and `require` conditions). Browsers get browser.ts: the same names with
// @neurona/backend-web in place of @neurona/backend-node.
export * from './common';

// ---- backend ----------------------------------------------------------------------------------
export * as backend from '@neurona/backend-node';
export { useNodeBackend } from '@neurona/backend-node';
export type { UseNodeBackendOptions } from '@neurona/backend-node';
