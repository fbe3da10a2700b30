// The platform of this build: Node here; tsup's browser build replaces this module by ./browser.
export { platform } from './node';
