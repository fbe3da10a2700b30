export {
  selectBackend,
  formatChoice,
  BackendSelectionError,
  type BackendAttempt,
  type BackendChoice,
  type Candidate,
  type SelectOptions,
} from './select';
export { summarizeAdapter, isSoftwareAdapter, isSoftwareRenderer, adapterLabel, type AdapterSummary } from './gpu-adapter';
export { startBackendProvider } from './start-provider';
