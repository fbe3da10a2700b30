export type { BackendAttempt, BackendChoice, Candidate, SelectOptions } from '@neurona/backend-core';
