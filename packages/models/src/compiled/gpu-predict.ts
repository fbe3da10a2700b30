// predict on the WebGPU plan's forward kernels: a compiled dense chain (analyze.ts) runs as one
// command encoder over its whole input (a GPU-to-GPU copy of it), in the batches predict was
// given, and returns its outputs as a tensor on the GPU: no read-back, no gather or concat per
// batch. Its input was checked by prepareX (shapes, dtypes: from metadata; WebGPU predict reads
// no values), so a bad input fails there with predict's own errors.
import type { Tensor } from '@neurona/tensor';
import type { GpuCopy, GpuForwardPlan } from '@neurona/kernels/webgpu';
import type { LayersModel } from '../model';
import type { Graph } from '../graph';
import { activationNameOf } from '../graph';
import { analyzePlan } from './analyze';
import type { GpuKernels } from './gpu-plan';

const HIDDEN: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh'];

/** Values per sample of a tensor `[n, ...]`. */
const rowWidth = (t: Tensor): number => t.shape.slice(1).reduce((a, b) => a * b, 1);

/**
 * The outputs of `model` for `xs` on the WebGPU plan's forward kernels, or null where that plan
 * does not apply (another backend, `jitCompile: false`, not compiled, not a dense chain the plan
 * knows, an input that is not one float32 tensor, a device binding too small): then predict runs
 * on tfjs kernels as before.
 */
export function predictOnGpu(k: GpuKernels, model: LayersModel, graph: Graph, xs: Tensor[], n: number, batchSize: number): Tensor | null {
  const device = k.webgpuDevice();
  if (!device || n < 1 || xs.length !== 1 || graph.outputs.length !== 1) return null;
  if (!model.isCompiled || model.compileConfig?.jitCompile === false) return null;
  const [x] = xs;
  const spec = analyzePlan(graph, model.boundCompile('predict'));
  if (typeof spec === 'string' || x.dtype !== 'float32' || rowWidth(x) !== spec.inputSize) return null;
  const last = spec.layers[spec.layers.length - 1];
  // the model's own output activation (the plan spec gives a softmax to the loss)
  const out = activationNameOf(last.layer) ?? '';
  if (out !== 'softmax' && !HIDDEN.includes(out)) return null;
  if (spec.layers.slice(0, -1).some((l) => !HIDDEN.includes(l.activation))) return null;
  const units = last.units;
  if (Math.max(x.size, n * units) * 4 > device.limits.maxStorageBufferBindingSize) return null;
  const layers = spec.layers.map((l, i) => ({
    inDim: l.inDim,
    units: l.units,
    bias: l.bias !== null,
    activation: (i === spec.layers.length - 1 ? (out === 'softmax' ? 'linear' : out) : l.activation) as 'linear',
  }));
  let plan: GpuForwardPlan | null = null;
  let input: GpuCopy | null = null;
  let result: ReturnType<GpuForwardPlan['run']> | null = null;
  try {
    plan = k.GpuForwardPlan.create(device, { layers, softmax: out === 'softmax', batchSize });
    const p = plan;
    spec.layers.forEach((l, i) => {
      const vars = [l.kernel, ...(l.bias ? [l.bias] : [])];
      const places = [p.kernels[i], ...(l.bias ? [p.biases[i]] : [])];
      vars.forEach((v, j) => {
        const c = k.gpuCopyOf(v, true);
        try {
          const place = places[j];
          if (place) p.load(place.offset, c.buffer, place.length);
        } finally {
          c.release();
        }
      });
    });
    input = k.gpuCopyOf(x, true);
    result = plan.run(input.buffer, n);
    return k.tensorFromGpu(result, [n, units]);
  } finally {
    // the tensor's copy of the result is submitted before the buffers go
    k.submitBackendWork();
    result?.destroy();
    plan?.destroy();
    input?.release();
  }
}
