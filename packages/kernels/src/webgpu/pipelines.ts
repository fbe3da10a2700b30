// A kernel's compute pipeline (compiled once per device and WGSL source) and a bind group of its
// buffers, for the training and forward plans alike: binding 0 is the step's uniform, bound with
// a dynamic offset (one slot per step or batch recorded before a submit), the kernel's storage
// buffers after it.
import { MAP_READ, SHADER_STAGE_COMPUTE } from './gpu-types';
import type { GpuBuffer, GpuCommandEncoder, GpuComputePass, GpuDevice } from './gpu-types';
import { STEP_BYTES, type Kernel } from './wgsl';
import type { GpuRows } from './training-plan';

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

/**
 * Where a batch's row indices start in the index buffer `idx`: `rows.offset` into the identity
 * rows, else the batch's own slot at `slotStart` (its indices written there, or copied from a GPU
 * buffer by `e`), so the indices of batches recorded before a submit never overwrite each other.
 */
export function placeRows(d: GpuDevice, e: GpuCommandEncoder, idx: GpuBuffer, rows: GpuRows, n: number, slotStart: number): number {
  if ('offset' in rows) return rows.offset;
  if ('values' in rows) d.queue.writeBuffer(idx, slotStart * 4, rows.values.buffer, rows.values.byteOffset, rows.values.byteLength);
  else e.copyBufferToBuffer(rows.buffer, 0, idx, slotStart * 4, n * 4);
  return slotStart;
}

/** A kernel ready to record: its pipeline, bind group and workgroups for a batch of n rows. */
export interface Dispatch {
  pipeline: unknown;
  group: unknown;
  /** Workgroups for a batch of n rows. */
  groups(n: number): [number, number];
}

/** What a step's (or an evaluation batch's) uniform slot holds; `reduction` sets its loss scales. */
export interface StepUniform {
  rows: number;
  /** Where the batch's row indices start in the index buffer. */
  indexOffset: number;
  learningRate: number;
  alpha: number;
  decay: number;
  reduction: 'mean' | 'sum';
  slot: number;
}

/** Write `s` into `data` (STEP_BYTES) in the layout the WGSL kernels read (wgsl.ts's Step). */
export function writeStepUniform(data: ArrayBuffer, s: StepUniform): void {
  const u32 = new Uint32Array(data);
  const f32 = new Float32Array(data);
  u32[0] = s.rows;
  u32[1] = s.indexOffset;
  f32[2] = s.learningRate;
  f32[3] = s.alpha;
  f32[4] = s.decay;
  f32[5] = s.reduction === 'mean' ? 1 / s.rows : 1;
  // a sum reduction's batch loss counts n times in the pass's mean, as the tape's `loss·n`
  f32[6] = s.reduction === 'mean' ? 1 : s.rows;
  u32[7] = s.slot;
}

/** Record one compute pass of `dispatches` for a batch of `rows` rows, bound to uniform slot `slot`. */
export function recordPass(e: GpuCommandEncoder, dispatches: readonly Dispatch[], rows: number, slot: number): void {
  const pass = e.beginComputePass();
  recordDispatches(pass, dispatches, rows, slot);
  pass.end();
}

/** Record `dispatches` into an open compute pass for a batch of `rows` rows, bound to uniform slot `slot`. */
export function recordDispatches(pass: GpuComputePass, dispatches: readonly Dispatch[], rows: number, slot: number): void {
  for (const d of dispatches) {
    const [gx, gy] = d.groups(rows);
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.group, [slot * UNIFORM_SLOT]);
    pass.dispatchWorkgroups(gx, gy);
  }
}

/**
 * The first `floats` floats of `src`, read back through the mappable `staging` buffer once `after`
 * settles (a plan's read-backs run one at a time: `staging` maps once).
 */
export function readFloats(d: GpuDevice, src: GpuBuffer, staging: GpuBuffer, floats: number, after: Promise<unknown>): Promise<Float32Array> {
  return after.then(async () => {
    const e = d.createCommandEncoder();
    e.copyBufferToBuffer(src, 0, staging, 0, src.size);
    d.queue.submit([e.finish()]);
    await staging.mapAsync(MAP_READ);
    try {
      return new Float32Array(staging.getMappedRange().slice(0, 4 * floats));
    } finally {
      staging.unmap();
    }
  });
}
