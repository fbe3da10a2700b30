import { expect } from 'vitest';
import { getBackendInfo } from '@neurona/tensor';
import { defineNodeConformance } from '../../../test/conformance/node-suite';
import { useNodeBackend } from '../src/index';

defineNodeConformance('wasm (Node)', async () => {
  await useNodeBackend({ force: 'wasm', silent: true });
  expect(getBackendInfo().details.simd).toBe(true);
});
