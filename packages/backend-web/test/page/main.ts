// The test page: picks a backend with useWebBackend (query `?force=<name>` forces one), and with
// `&conformance=1` runs the conformance vectors on it. The outcome lands on window.neuronaResult.
import * as tfc from '@tensorflow/tfjs-core';
import { getBackendInfo } from '@neurona/tensor';
import { useWebBackend, type BackendChoice } from '../../src/index';
import { wasmPaths } from '../../src/vite';
import { runAll, type VectorResult } from '../../../../test/conformance/run';

export interface PageResult {
  ok: boolean;
  error?: string;
  choice?: BackendChoice;
  tried?: BackendChoice['tried'];
  log: string[];
  vectors?: VectorResult[];
  ms: number;
}

async function main(): Promise<PageResult> {
  const t0 = performance.now();
  const q = new URLSearchParams(location.search);
  const log: string[] = [];
  try {
    const choice = await useWebBackend({ force: q.get('force') ?? undefined, wasmPaths, log: (l) => log.push(l) });
    let vectors: VectorResult[] | undefined;
    if (q.get('conformance')) {
      // GPU backends run small CPU-resident ops on the cpu backend; make every op use the GPU
      if (choice.chosen === 'webgpu') tfc.env().set('WEBGPU_CPU_FORWARD', false);
      if (choice.chosen === 'webgl') tfc.env().set('WEBGL_CPU_FORWARD', false);
      vectors = await runAll();
    }
    if (getBackendInfo().name !== choice.chosen) throw new Error(`getBackendInfo() says ${getBackendInfo().name}`);
    return { ok: true, choice, log, vectors, ms: performance.now() - t0 };
  } catch (err) {
    const e = err as Error & { tried?: BackendChoice['tried'] };
    return { ok: false, error: e.message, tried: e.tried, log, ms: performance.now() - t0 };
  }
}

void main().then((r) => {
  (window as unknown as { neuronaResult: PageResult }).neuronaResult = r;
});
