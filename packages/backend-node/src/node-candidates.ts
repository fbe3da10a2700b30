import type { BackendInfo, BackendProvider } from '@neurona/tensor';
import type { Candidate } from './types';
import { adapterLabel, isSoftwareAdapter, startBackendProvider, type AdapterSummary } from '@neurona/backend-core';
import { probeDawn } from './dawn-probe';
import { dawnEntry, webgpuProvider } from './webgpu';
import { tfjsNodeProvider } from './tfjs-node';
import { wasmProvider } from './wasm';
import { cpuProvider } from './cpu';

/** The names `useNodeBackend` accepts, in the order it tries them. */
export const NODE_BACKENDS = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type NodeBackendName = (typeof NODE_BACKENDS)[number];

function candidate(name: NodeBackendName, provider: BackendProvider, describe: (info: BackendInfo) => string, gate?: () => Promise<void>): Candidate {
  return {
    name,
    async start(explicit) {
      if (!explicit && gate) await gate();
      const info = await startBackendProvider(provider);
      return { info, summary: describe(info) };
    },
  };
}

// Before Dawn is loaded into this process: only a hardware adapter qualifies automatically.
async function requireHardwareAdapter(): Promise<void> {
  const probe = await probeDawn(dawnEntry());
  if (!probe.adapter) throw new Error(`no WebGPU adapter (${probe.message})`);
  if (isSoftwareAdapter(probe.adapter)) {
    throw new Error(`only a software adapter, ${adapterLabel(probe.adapter)}; force it with NEURONA_BACKEND=webgpu`);
  }
}

/** The Node backends, best first. Each starts its backend or throws why it cannot. */
export function nodeCandidates(): Candidate[] {
  return [
    candidate('tfjs-node-gpu', tfjsNodeProvider('@tensorflow/tfjs-node-gpu'), () => 'native TensorFlow, CUDA build'),
    candidate(
      'webgpu',
      webgpuProvider,
      (info) => {
        const a = info.details as unknown as AdapterSummary & { software: boolean };
        return `${adapterLabel(a)}${a.software ? ', software adapter' : ''}`;
      },
      requireHardwareAdapter,
    ),
    candidate('tfjs-node', tfjsNodeProvider('@tensorflow/tfjs-node'), () => 'native TensorFlow'),
    candidate('wasm', wasmProvider, (info) => `SIMD ${info.details.simd ? 'on' : 'off'}, threads ${info.details.threads ? 'on' : 'off'}`),
    candidate('cpu', cpuProvider, () => 'plain JavaScript'),
  ];
}
