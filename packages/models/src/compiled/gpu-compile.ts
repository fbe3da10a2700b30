// The WebGPU training engine for a model, or why there is none: loaded by choose.ts only on the
// webgpu backend, and it loads @neurona/kernels/webgpu (never the wasm kernels) only here.
import type { LayersModel } from '../model';
import { engineFor, type Engine } from '../engine';
import type { Graph } from '../graph';
import type { DataArrays } from '../step';
import { analyzePlan } from './analyze';
import { GpuDensePlan, gpuPlanReason, type GpuKernels } from './gpu-plan';
import { gpuEngine } from './gpu-engine';

/** The WebGPU plan's engine for `model` on the arrays `data` (batches of up to `batchSize` rows), or why not. */
export async function compileGpuPlan(model: LayersModel, graph: Graph, data: DataArrays, batchSize: number): Promise<Engine | string> {
  const bound = model.boundCompile('fit');
  const spec = analyzePlan(graph, bound);
  if (typeof spec === 'string') return spec;
  const why = gpuPlanReason(spec, data);
  if (why) return why;
  const k: GpuKernels = await import('@neurona/kernels/webgpu');
  const device = k.webgpuDevice();
  if (!device) return 'the webgpu backend exposes no GPU device';
  const bytes = Math.max(...[...data.xs, ...data.ys].map((t) => t.size * 4));
  if (bytes > device.limits.maxStorageBufferBindingSize) {
    return `the training arrays (${bytes} bytes) exceed the device's largest storage binding (${device.limits.maxStorageBufferBindingSize} bytes)`;
  }
  const plan = GpuDensePlan.create(k, device, spec, data, batchSize);
  return gpuEngine(plan, spec.metrics, bound, engineFor(model, 'test'));
}
