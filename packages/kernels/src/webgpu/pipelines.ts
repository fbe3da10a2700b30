// A kernel's compute pipeline (compiled once per device and WGSL source) and a bind group of its
// buffers, for the training and forward plans alike: binding 0 is the step's uniform, bound with
// a dynamic offset (one slot per step or batch recorded before a submit), the kernel's storage
// buffers after it.
import { SHADER_STAGE_COMPUTE } from './gpu-types';
import type { GpuBuffer, GpuDevice } from './gpu-types';
import { STEP_BYTES, type Kernel } from './wgsl';

/** Bytes between two steps' uniforms in a uniform buffer (WebGPU's largest minUniformBufferOffsetAlignment). */
export const UNIFORM_SLOT = 256;

/** A storage binding: a buffer, or a range of it. */
export interface Resource {
  buffer: GpuBuffer;
  offset?: number;
  size?: number;
}

// Pipelines per device and WGSL source: every fit makes a plan, and compiling its shaders again
// would cost each fit (tens of ms a kernel on a software adapter)
const pipelines = new WeakMap<GpuDevice, Map<string, { layout: unknown; pipeline: unknown }>>();

function compiled(d: GpuDevice, k: Kernel): { layout: unknown; pipeline: unknown } {
  let byCode = pipelines.get(d);
  if (!byCode) {
    byCode = new Map();
    pipelines.set(d, byCode);
  }
  let p = byCode.get(k.code);
  if (!p) {
    const entries = [
      { binding: 0, visibility: SHADER_STAGE_COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } },
      ...k.bindings.map((b, i) => ({ binding: i + 1, visibility: SHADER_STAGE_COMPUTE, buffer: { type: b === 'read' ? 'read-only-storage' : 'storage' } })),
    ];
    const layout = d.createBindGroupLayout({ entries });
    const pipeline = d.createComputePipeline({
      label: k.label,
      layout: d.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module: d.createShaderModule({ code: k.code, label: k.label }), entryPoint: 'main' },
    });
    p = { layout, pipeline };
    byCode.set(k.code, p);
  }
  return p;
}

/** The pipeline of kernel `k` on `d` and a bind group of `uniform` (a slot of it, by dynamic offset) and `resources`. */
export function kernelBinding(d: GpuDevice, k: Kernel, uniform: GpuBuffer, resources: Resource[]): { pipeline: unknown; group: unknown } {
  if (resources.length !== k.bindings.length) throw new Error(`Internal: ${k.label} binds ${k.bindings.length} buffers, given ${resources.length}`);
  const { layout, pipeline } = compiled(d, k);
  const group = d.createBindGroup({
    layout,
    entries: [{ binding: 0, resource: { buffer: uniform, offset: 0, size: STEP_BYTES } }, ...resources.map((r, i) => ({ binding: i + 1, resource: r }))],
  });
  return { pipeline, group };
}
