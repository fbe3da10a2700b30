// The few WebGPU objects the GPU plan uses, typed structurally: the package carries no
// @webgpu/types dependency, and these are the shapes both browsers and Dawn (Node) provide.

/** A GPU buffer (WebGPU `GPUBuffer`). */
export interface GpuBuffer {
  readonly size: number;
  readonly usage: number;
  mapAsync(mode: number, offset?: number, size?: number): Promise<void>;
  getMappedRange(offset?: number, size?: number): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

/** A bind group entry's resource: a buffer range. */
export interface GpuBufferBinding {
  buffer: GpuBuffer;
  offset?: number;
  size?: number;
}

/** A compute pass (WebGPU `GPUComputePassEncoder`). */
export interface GpuComputePass {
  setPipeline(pipeline: unknown): void;
  setBindGroup(index: number, group: unknown, dynamicOffsets?: number[]): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
  end(): void;
}

/** A command encoder (WebGPU `GPUCommandEncoder`). */
export interface GpuCommandEncoder {
  beginComputePass(descriptor?: object): GpuComputePass;
  copyBufferToBuffer(src: GpuBuffer, srcOffset: number, dst: GpuBuffer, dstOffset: number, size: number): void;
  finish(): unknown;
}

/** A device (WebGPU `GPUDevice`): the parts the plan calls. */
export interface GpuDevice {
  readonly limits: { readonly maxStorageBufferBindingSize: number; readonly minStorageBufferOffsetAlignment: number; readonly maxComputeWorkgroupsPerDimension: number };
  readonly queue: {
    writeBuffer(buffer: GpuBuffer, offset: number, data: ArrayBufferView | ArrayBufferLike, dataOffset?: number, size?: number): void;
    submit(buffers: unknown[]): void;
    onSubmittedWorkDone(): Promise<void>;
  };
  createBuffer(descriptor: { size: number; usage: number; mappedAtCreation?: boolean; label?: string }): GpuBuffer;
  createShaderModule(descriptor: { code: string; label?: string }): unknown;
  createBindGroupLayout(descriptor: { entries: object[] }): unknown;
  createPipelineLayout(descriptor: { bindGroupLayouts: unknown[] }): unknown;
  createComputePipeline(descriptor: { layout: unknown; compute: { module: unknown; entryPoint: string }; label?: string }): unknown;
  createBindGroup(descriptor: { layout: unknown; entries: { binding: number; resource: GpuBufferBinding }[] }): unknown;
  createCommandEncoder(): GpuCommandEncoder;
}

/** WebGPU's `GPUBufferUsage` flags (the numbers of the standard). */
export const BufferUsage = {
  MAP_READ: 0x1,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
} as const;

/** WebGPU's `GPUMapMode.READ`. */
export const MAP_READ = 0x1;

/** WebGPU's `GPUShaderStage.COMPUTE`. */
export const SHADER_STAGE_COMPUTE = 0x4;
