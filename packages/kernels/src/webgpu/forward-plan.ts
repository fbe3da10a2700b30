// A dense chain's forward pass on a GPU device, for predict: the weights copied into one flat
// buffer, the input bound whole (its batches read from their row offset), each hidden layer's
// outputs in buffers of one batch, the last layer writing its rows straight into the output
// buffer (a softmax output in place after it). Every batch is recorded into one command encoder
// and submitted once; nothing is read back (the output becomes a tensor on the GPU).
import { BufferUsage } from './gpu-types';
import type { GpuBuffer, GpuCommandEncoder, GpuDevice } from './gpu-types';
import { kernelBinding, recordDispatches, UNIFORM_SLOT } from './pipelines';
import { layerRange, paramLayout, type GpuPlace } from './param-layout';
import { forwardKernel, productGroups, softmaxRowsKernel, SOFTMAX_THREADS, type ForwardRows, type KernelLayer } from './wgsl';

/** What a forward plan computes. */
export interface GpuForwardConfig {
  layers: KernelLayer[];
  /** Whether the output layer's activation is a softmax (applied after its product). */
  softmax: boolean;
  /** Rows per batch. */
  batchSize: number;
}

const STORAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

const rowsOf = (i: number, last: number): ForwardRows => (i === 0 && i === last ? 'both' : i === 0 ? 'offset' : i === last ? 'out' : false);

/** The forward pass of a dense chain on `device` (load the weights, then `run`; `destroy` after). */
export class GpuForwardPlan {
  /** Each layer's kernel and bias in the flat parameter buffer. */
  readonly kernels: GpuPlace[];
  readonly biases: (GpuPlace | null)[];
  readonly params: GpuBuffer;
  /** Compute dispatches per batch. */
  readonly dispatchesPerBatch: number;
  private readonly owned: GpuBuffer[] = [];

  private constructor(
    private readonly device: GpuDevice,
    private readonly config: GpuForwardConfig,
  ) {
    const { kernels, biases, count } = paramLayout(device, config.layers);
    this.kernels = kernels;
    this.biases = biases;
    this.params = this.buffer(count);
    this.dispatchesPerBatch = config.layers.length + (config.softmax ? 1 : 0);
  }

  /** A forward plan on `device`. */
  static create(device: GpuDevice, config: GpuForwardConfig): GpuForwardPlan {
    return new GpuForwardPlan(device, config);
  }

  private buffer(floats: number): GpuBuffer {
    const b = this.device.createBuffer({ size: Math.max(16, Math.ceil((floats * 4) / 16) * 16), usage: STORAGE });
    this.owned.push(b);
    return b;
  }

  /** Copy `length` floats of `src` (from its start) into the parameters at float `offset`. */
  load(offset: number, src: GpuBuffer, length: number): void {
    const e = this.device.createCommandEncoder();
    e.copyBufferToBuffer(src, 0, this.params, offset * 4, length * 4);
    this.device.queue.submit([e.finish()]);
  }

  /**
   * The outputs of the `n` rows of `x` (float32, `layers[0].inDim` values a row) in batches of
   * `batchSize`, one submit: a new buffer of exactly `n × units` floats, the caller's (to make a
   * tensor of, then destroy).
   */
  run(x: GpuBuffer, n: number): GpuBuffer {
    const d = this.device;
    const { layers, batchSize } = this.config;
    const L = layers.length;
    const out = d.createBuffer({ size: n * layers[L - 1].units * 4, usage: STORAGE });
    const cap = Math.min(batchSize, n);
    const hidden = layers.slice(0, -1).map((l) => this.buffer(cap * l.units));
    const batches = Math.ceil(n / cap);
    const uniform = d.createBuffer({ size: batches * UNIFORM_SLOT, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
    this.owned.push(uniform);
    const dummyIdx = this.buffer(1);
    const steps = new Uint32Array((batches * UNIFORM_SLOT) / 4);
    const dispatches = layers.map((l, i) => {
      const input = i === 0 ? x : hidden[i - 1];
      const output = i === L - 1 ? out : hidden[i];
      return {
        ...kernelBinding(d, forwardKernel(l, rowsOf(i, L - 1)), uniform, [{ buffer: input }, { buffer: dummyIdx }, { buffer: this.params, ...layerRange(this.kernels, this.biases, i) }, { buffer: output }]),
        groups: (rows: number) => productGroups(rows, l.units),
      };
    });
    if (this.config.softmax) {
      dispatches.push({ ...kernelBinding(d, softmaxRowsKernel(layers[L - 1].units), uniform, [{ buffer: out }]), groups: (rows: number) => [Math.ceil(rows / SOFTMAX_THREADS), 1] });
    }
    for (let b = 0; b < batches; b++) {
      const rows = Math.min(cap, n - b * cap);
      // the step uniform's first two words: rows in the batch, and its first row
      steps[(b * UNIFORM_SLOT) / 4] = rows;
      steps[(b * UNIFORM_SLOT) / 4 + 1] = b * cap;
    }
    d.queue.writeBuffer(uniform, 0, steps.buffer, 0, steps.byteLength);
    const e: GpuCommandEncoder = d.createCommandEncoder();
    const pass = e.beginComputePass();
    for (let b = 0; b < batches; b++) recordDispatches(pass, dispatches, Math.min(cap, n - b * cap), b);
    pass.end();
    d.queue.submit([e.finish()]);
    return out;
  }

  /** Free the plan's buffers (queued work finishes first). */
  destroy(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}
