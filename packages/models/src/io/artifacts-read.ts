// Artifacts back into a model: every check happens before the model's weights are touched, and a
// model that fails half way is disposed, so a bad file never leaves tensors behind.
import { dispose } from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
import type { KerasOptimizer } from '@neurona/optimizers';
import { firstNonFinite } from '@neurona/layers';
import type { LayersModel } from '../model';
import type { CompileArgs } from '../compile';
import { ModelFileError, show } from './errors';
import { concatBuffers, decodeWeight, weightOffsets } from './weight-codec';
import { assertPlainJson, asObject, isObject } from './read';
import { modelFromTopology } from './topology-read';
import { compileFromKeras, compileFromNeurona } from './training-config';
import { checkWeightSpecs, elementCount, fmtShape } from './weight-specs';
import { allocationGuard } from './build-model';
import { weightNames } from './weight-names';
import { savedStateOwners } from './optimizer-state';
import type { ModelArtifacts, WeightSpec } from './types';

/** Options of `loadModel`. */
export interface LoadOptions {
  /** Compile the model from the saved training configuration and restore the optimizer state. Default true. */
  compile?: boolean;
  /** Accept weights that hold NaN or ±Infinity (refused by default, naming the weight). */
  allowNonFinite?: boolean;
}

/** Options of `loadWeights`. */
export interface LoadWeightsOptions {
  /** Accept weights that hold NaN or ±Infinity (refused by default, naming the weight). */
  allowNonFinite?: boolean;
}

/** Weight values a file's layers may create beyond what it declares (4 MB of float32). */
const ALLOCATION_SLACK = 2 ** 20;

/**
 * Copy the file's weights into the model, matched by name (or, with `byOrder`, in the model's
 * weight order, as Keras's `load_weights`); every check runs before any copy.
 */
function assignWeights(model: LayersModel, specs: WeightSpec[], data: ArrayBuffer, byOrder: boolean, allowNonFinite = false): void {
  const offsets = weightOffsets(specs, data, 'model weights');
  let k = 0;
  const targets: { variable: Variable; spec: WeightSpec; offset: number }[] = [];
  const used = new Set<string>();
  const seen = new Set<Variable>();
  const missing: string[] = [];
  for (const layer of model.layers) {
    const names = weightNames(layer);
    layer.weights.forEach((v, i) => {
      if (seen.has(v)) return;
      seen.add(v);
      const entry = byOrder ? (specs[k] ? offsets.get(specs[k].name) : undefined) : offsets.get(names[i]);
      k++;
      if (!entry) {
        missing.push(`"${names[i]}" ${fmtShape(v.shape)} of ${layer}`);
        return;
      }
      const { spec } = entry;
      if (spec.shape.length !== v.shape.length || spec.shape.some((d, j) => d !== v.shape[j])) {
        throw new ModelFileError(`weight "${spec.name}" of ${layer}: the model expects shape ${fmtShape(v.shape)}, the file declares ${fmtShape(spec.shape)}`);
      }
      if (spec.dtype !== v.dtype) {
        throw new ModelFileError(`weight "${spec.name}" of ${layer}: the model expects dtype ${v.dtype}, the file declares ${spec.dtype}`);
      }
      used.add(spec.name);
      targets.push({ variable: v, spec, offset: entry.offset });
    });
  }
  if (missing.length > 0) {
    const have = specs.map((s) => `"${s.name}"`).slice(0, 20).join(', ') || 'none';
    throw new ModelFileError(`the file has no weight ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''}; it has: ${have}`);
  }
  const extra = specs.filter((s) => !used.has(s.name));
  if (extra.length > 0) {
    throw new ModelFileError(
      `the file has weights the model does not have: ${extra.slice(0, 10).map((s) => `"${s.name}" ${fmtShape(s.shape)}`).join(', ')}` +
        `; the model's weights are ${targets.map((t) => `"${t.spec.name}"`).slice(0, 20).join(', ') || 'none'}`,
    );
  }
  const values = targets.map((t) => decodeWeight(t.spec, data, t.offset));
  try {
    if (!allowNonFinite) {
      values.forEach((v, i) => {
        const bad = v.dtype === 'float32' ? firstNonFinite(v.dataSync() as Float32Array) : null;
        if (bad) {
          throw new ModelFileError(
            `weight "${targets[i].spec.name}" holds ${bad.value} at flat index ${bad.index}; a model with it predicts NaN. Load with { allowNonFinite: true } to accept it`,
          );
        }
      });
    }
    targets.forEach((t, i) => t.variable.assign(values[i]));
  } finally {
    dispose(values);
  }
}

function compileArgsOf(artifacts: ModelArtifacts): CompileArgs | null {
  const ours = artifacts.neurona?.trainingConfig;
  if (ours) return compileFromNeurona(ours as unknown as Parameters<typeof compileFromNeurona>[0], 'neurona.trainingConfig');
  if (artifacts.trainingConfig) return compileFromKeras(artifacts.trainingConfig, 'trainingConfig');
  return null;
}

function restoreOptimizer(model: LayersModel, args: CompileArgs, specsRaw: unknown, dataRaw: unknown): void {
  const specs = checkWeightSpecs(specsRaw, 'optimizer state');
  if (!(dataRaw instanceof ArrayBuffer)) throw new ModelFileError(`optimizer state: expected its bytes as an ArrayBuffer, got ${show(dataRaw)}`);
  const offsets = weightOffsets(specs, dataRaw, 'optimizer state');
  if (specs.length === 0) return;
  const first = specs[0];
  if (first.shape.length !== 0 || first.dtype === 'bool') {
    throw new ModelFileError(`optimizer state: the first entry must be the scalar iteration count, got "${first.name}" ${fmtShape(first.shape)} ${first.dtype}`);
  }
  const optimizer = model.optimizer as NonNullable<LayersModel['optimizer']> & Partial<Pick<KerasOptimizer, 'build' | 'getSlotNames'>>;
  const build = typeof optimizer.build === 'function' ? optimizer.build.bind(optimizer) : null;
  const slotNames = build && typeof optimizer.getSlotNames === 'function' ? optimizer.getSlotNames() : null;
  // the weight each slot belongs to, from its name (checked before anything is decoded)
  const owners = slotNames ? savedStateOwners(model, specs, slotNames) : null;
  const tensors: Tensor[] = specs.map((s) => decodeWeight(s, dataRaw, (offsets.get(s.name) as { offset: number }).offset));
  try {
    if (owners && build) {
      // compile has just made this optimizer: creating the slots of the saved weights first, in the
      // file's order, makes setWeights hand each its own state; the others start fresh when first updated
      build(owners);
      optimizer.setWeights(tensors);
      return;
    }
    // state whose names do not say its weights (files of an optimizer without slot names): by position
    try {
      // creating the slots first lets setWeights check every shape now rather than at the first step
      if (tensors.length > 1 && build) build(model.trainableWeights);
      optimizer.setWeights(tensors);
    } catch (e) {
      if (tensors.length === 1 || !build) throw e;
      // the saved optimizer had seen only some variables: restore positionally on a fresh one
      // (compile disposes the one it replaces: it made it from the file's configuration)
      model.compile(args);
      (model.optimizer as NonNullable<LayersModel['optimizer']>).setWeights(tensors);
    }
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(`optimizer state does not fit the compiled optimizer: ${(e as Error).message}`, { cause: e });
  } finally {
    dispose(tensors);
  }
}

/** The model some artifacts describe, with its weights, compiled and with its optimizer state (unless `compile: false`). */
export function modelFromArtifacts(artifacts: ModelArtifacts, options: LoadOptions = {}): LayersModel {
  const a = asObject(artifacts as unknown, 'model artifacts') as unknown as ModelArtifacts;
  assertPlainJson(a.modelTopology ?? null, 'modelTopology');
  if (a.trainingConfig !== undefined) assertPlainJson(a.trainingConfig, 'trainingConfig');
  if (a.neurona !== undefined) assertPlainJson(a.neurona, 'neurona');
  if (a.neurona?.weightsOnly || a.modelTopology === null) {
    throw new ModelFileError('these files hold weights only (saved with saveWeights or ModelCheckpoint({ saveWeightsOnly: true })); load them into a model with loadWeights(model, path)');
  }
  if (!isObject(a.modelTopology)) throw new ModelFileError(`modelTopology must be an object, got ${show(a.modelTopology)}`);
  const allSpecs = checkWeightSpecs(a.weightSpecs ?? [], 'weightSpecs');
  const data = concatBuffers(a.weightData ?? new ArrayBuffer(0));
  // tfjs stores optimizer state (includeOptimizer) among the weights, marked group 'optimizer'
  weightOffsets(allSpecs, data, 'model weights');
  const modelSpecs = allSpecs.filter((s) => s.group !== 'optimizer');
  // what the file declares, plus a little slack so that a small mismatch is reported by name below
  const budget = modelSpecs.reduce((n, s) => n + elementCount(s.shape), 0) + ALLOCATION_SLACK;
  const guard = allocationGuard(budget, modelSpecs.length > 0);
  let model: LayersModel | null = null;
  try {
    try {
      model = modelFromTopology(a.modelTopology, guard.before);
    } finally {
      guard.release();
    }
    const modelData = modelSpecs.length === allSpecs.length ? data : pick(allSpecs, data, modelSpecs);
    assignWeights(model, modelSpecs, modelData, false, options.allowNonFinite);
    if (options.compile ?? true) {
      const args = compileArgsOf(a);
      if (args) {
        try {
          model.compile(args);
        } catch (e) {
          throw new ModelFileError(
            `cannot compile the loaded model from its training configuration: ${(e as Error).message} (load with { compile: false } to skip it)`,
            { cause: e },
          );
        }
        if (a.optimizerWeightSpecs !== undefined) restoreOptimizer(model, args, a.optimizerWeightSpecs, a.optimizerWeightData);
      }
    }
    return model;
  } catch (e) {
    model?.dispose();
    // layers made before the failure hold weights too
    for (const l of guard.layers) l.dispose();
    throw e;
  }
}

/** The bytes of `subset` (in order) out of `data`, which holds `all`. */
function pick(all: WeightSpec[], data: ArrayBuffer, subset: WeightSpec[]): ArrayBuffer {
  const offsets = weightOffsets(all, data, 'model weights');
  const parts = subset.map((s) => {
    const { offset } = offsets.get(s.name) as { offset: number };
    const bytes = elementCount(s.shape) * (s.dtype === 'bool' ? 1 : 4);
    return data.slice(offset, offset + bytes);
  });
  return concatBuffers(parts);
}

/** Load weights-only artifacts (or a full model's weights) into an existing, built model. */
export function weightsIntoModel(model: LayersModel, artifacts: ModelArtifacts, options: LoadWeightsOptions = {}): void {
  model.assertUsable('loadWeights');
  const specs = checkWeightSpecs(artifacts.weightSpecs ?? [], 'weightSpecs').filter((s) => s.group !== 'optimizer');
  const all = checkWeightSpecs(artifacts.weightSpecs ?? [], 'weightSpecs');
  const data = concatBuffers(artifacts.weightData ?? new ArrayBuffer(0));
  weightOffsets(all, data, 'model weights');
  const own = specs.length === all.length ? data : pick(all, data, specs);
  // by name when every weight of the model is in the file; else by order (layers named differently)
  const names = new Set(specs.map((s) => s.name));
  const byName = model.layers.every((l) => weightNames(l).every((n) => names.has(n)));
  assignWeights(model, specs, own, !byName, options.allowNonFinite);
}
