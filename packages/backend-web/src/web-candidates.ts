import type { BackendInfo, BackendProvider } from '@neurona/tensor';
import type { Candidate } from './types';
import { adapterLabel, startBackendProvider, type AdapterSummary } from '@neurona/backend-core';
import { webgpuProvider, requireHardwareWebGPU } from './webgpu';
import { webglProvider, requireHardwareWebGL, type WebGLSummary } from './webgl';
import { wasmProvider, wasmHint } from './wasm';
import { cpuProvider } from './cpu';

/** The names `useWebBackend` accepts, in the order it tries them. */
export const WEB_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type WebBackendName = (typeof WEB_BACKENDS)[number];

function candidate(
  name: WebBackendName,
  provider: BackendProvider,
  describe: (info: BackendInfo) => string,
  gate?: () => void | Promise<void>,
  hint: () => string = () => '',
): Candidate {
  return {
    name,
    async start(explicit) {
      if (!explicit && gate) await gate();
      try {
        const info = await startBackendProvider(provider);
        return { info, summary: describe(info) };
      } catch (err) {
        throw new Error(`${(err as Error).message}${hint()}`, { cause: err });
      }
    },
  };
}

/** The browser backends, best first. Software GPUs (SwiftShader, llvmpipe) are skipped unless named. */
export function webCandidates(): Candidate[] {
  return [
    candidate(
      'webgpu',
      webgpuProvider,
      (info) => {
        const a = info.details as unknown as AdapterSummary & { software: boolean };
        return `${adapterLabel(a)}${a.software ? ', software adapter' : ''}`;
      },
      requireHardwareWebGPU,
    ),
    candidate(
      'webgl',
      webglProvider,
      (info) => {
        const s = info.details as unknown as WebGLSummary;
        return `WebGL ${s.version}, ${s.renderer}${s.software ? ', software renderer' : ''}`;
      },
      requireHardwareWebGL,
    ),
    candidate('wasm', wasmProvider, (info) => `SIMD ${info.details.simd ? 'on' : 'off'}, threads ${info.details.threads ? 'on' : 'off'}`, undefined, wasmHint),
    candidate('cpu', cpuProvider, () => 'plain JavaScript'),
  ];
}
