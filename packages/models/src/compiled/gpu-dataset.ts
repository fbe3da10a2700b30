// fit(dataset) on the WebGPU plan (a chunk of its own, loaded only when a WebGPU page trains on a
// dataset): which datasets it takes — those with a row view (fromArrays(...).batch(b)), whose
// columns are uploaded once and whose batches are row indices gathered on the GPU — and the plan
// holder that lays the plan out at the first batch and again, larger, for a larger batch.
import { isTensor, type Tensor } from '@neurona/tensor';
import { rowBatchesOf, unpackXYSampleWeight } from '@neurona/data';
import type { DataArrays } from '../step';
import type { PlanSpec } from './analyze';
import type { DatasetInfo } from './choose';
import type { GpuDensePlan, GpuSums } from './gpu-plan';
import type { GpuPlanHolder } from './gpu-engine';

/** Values per sample of a tensor `[n, ...]`. */
const rowWidth = (t: Tensor): number => t.shape.slice(1).reduce((a, b) => a * b, 1);

/**
 * Why the WebGPU plan of `spec` does not take `ds` (as far as its columns tell before the first
 * batch), or null. Only datasets with a row view (`fromArrays(...).batch(b)`) whose columns are
 * one input tensor and one target tensor, and no weights, are taken.
 */
export function datasetReason(spec: PlanSpec, ds: DatasetInfo, inputDtype: string): string | null {
  const view = rowBatchesOf(ds.stream);
  if (!view) return 'a dataset without row views on WebGPU (the WebGPU plan takes arrays and fromArrays(...).batch(b) datasets)';
  if (ds.classWeights) return 'sample or class weights are not in the WebGPU plan yet';
  if (inputDtype !== 'float32') return `the input is ${inputDtype}`;
  let parts: { x: unknown; y?: unknown; sampleWeight?: unknown };
  try {
    parts = unpackXYSampleWeight(view.columns);
  } catch {
    return "the dataset's elements are not { x, y }";
  }
  if (parts.sampleWeight !== undefined) return 'sample or class weights are not in the WebGPU plan yet';
  const { x, y } = parts;
  if (!isTensor(x) || !isTensor(y)) return "the dataset's columns are not one input tensor and one target tensor";
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return `the input column is ${x.dtype}`;
  if (y.dtype !== 'float32' && y.dtype !== 'int32') return `the target column is ${y.dtype}`;
  const units = spec.layers[spec.layers.length - 1].units;
  if (rowWidth(x) !== spec.inputSize) return `the input rows have ${rowWidth(x)} values, the model takes ${spec.inputSize}`;
  if (rowWidth(y) !== (spec.loss.sparse ? 1 : units)) return `the target rows have ${rowWidth(y)} values, the loss takes ${spec.loss.sparse ? 1 : units}`;
  return null;
}

/** A plan for a dataset's batches: `make(data, rows)` lays one out for its first batch, and again for a larger one. */
export function growingGpuPlan(make: (data: DataArrays, rows: number) => GpuDensePlan): GpuPlanHolder {
  let plan: GpuDensePlan | null = null;
  const retired: Promise<GpuSums>[] = [];
  return {
    planFor(data, rows) {
      if (plan && rows <= plan.capacity) return plan;
      const old = plan;
      plan = null;
      if (old) {
        // the variables and the optimizer's state are current before the new plan reads them; the
        // old plan's buffers go once its sums are read
        old.flushWeights();
        old.flushState();
        const sums = old.readSums();
        retired.push(sums);
        void sums.then(
          () => old.dispose(),
          () => old.dispose(),
        );
      }
      plan = make(data, Math.max(rows, 1));
      return plan;
    },
    get current() {
      return plan;
    },
    retired,
    startPass() {
      retired.length = 0;
      plan?.startPass();
    },
    dispose() {
      const p = plan;
      plan = null;
      p?.dispose();
    },
  };
}

