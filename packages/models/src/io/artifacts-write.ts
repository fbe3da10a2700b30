// A model as artifacts: topology, weights, compile configuration and optimizer state.
import { dispose } from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
import type { KerasOptimizer, Optimizer } from '@neurona/optimizers';
import type { LayersModel } from '../model';
import { encodeWeights } from './weight-codec';
import type { NamedTensor } from './weight-codec';
import { LAYERS_FORMAT } from './model-json';
import { modelTopology } from './topology-write';
import { kerasTrainingConfig, serializeCompile } from './training-config';
import { weightNames } from './weight-names';
import type { ModelArtifacts } from './types';

/** Options of `saveModel` / `model.save`. */
export interface SaveOptions {
  /**
   * Save the compile configuration (loss, metrics, optimizer) and the optimizer state, so a loaded
   * model continues training where this one stopped. Default true.
   */
  includeOptimizer?: boolean;
}

/** Who made the files, as `generatedBy` says. */
export const GENERATED_BY = 'neurona 0.1.0';

/** The model's weights with the names they are saved under, layer by layer (each variable once). */
export function namedWeights(model: LayersModel): { name: string; variable: Variable }[] {
  const seen = new Set<Variable>();
  const out: { name: string; variable: Variable }[] = [];
  for (const layer of model.layers) {
    const names = weightNames(layer);
    layer.weights.forEach((v, i) => {
      if (seen.has(v)) return;
      seen.add(v);
      out.push({ name: names[i], variable: v });
    });
  }
  const dup = out.find((w, i) => out.findIndex((x) => x.name === w.name) !== i);
  if (dup) throw new Error(`save: two weights of ${model} would both be saved as "${dup.name}"; give the layers unique names`);
  return out;
}

/** The optimizer's per-variable state names, when it says them (`BaseOptimizer.getSlotNames`). */
function slotNamesOf(optimizer: Optimizer | null): string[] | null {
  const get = (optimizer as Partial<KerasOptimizer> | null)?.getSlotNames;
  if (typeof get !== 'function') return null;
  const names: unknown = get.call(optimizer);
  return Array.isArray(names) && names.every((n) => typeof n === 'string') ? names : null;
}

function optimizerStateNames(model: LayersModel, count: number): string[] {
  const vars = namedWeights(model).filter((w) => w.variable.trainable);
  const slotNames = slotNamesOf(model.optimizer);
  const perVar = vars.length > 0 ? (count - 1) / vars.length : 0;
  const names = ['iterations'];
  if (Number.isInteger(perVar) && perVar > 0) {
    const slots = slotNames && slotNames.length === perVar ? slotNames : null;
    for (const w of vars) for (let j = 0; j < perVar; j++) names.push(`${w.name}/${slots ? slots[j] : `slot${j}`}`);
  } else {
    // the optimizer has seen only some variables: positional names
    for (let i = 1; i < count; i++) names.push(`state_${i}`);
  }
  return names;
}

/** Everything `saveModel` writes, independent of where it goes. */
export async function modelToArtifacts(model: LayersModel, options: SaveOptions = {}): Promise<ModelArtifacts> {
  model.assertUsable('save');
  const topology = modelTopology(model);
  const weights = namedWeights(model);
  const { specs, data } = await encodeWeights(weights.map((w) => ({ name: w.name, tensor: w.variable })));
  const artifacts: ModelArtifacts = {
    modelTopology: topology,
    format: LAYERS_FORMAT,
    generatedBy: GENERATED_BY,
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
    neurona: { formatVersion: 1 },
  };
  const args = model.compileConfig;
  const optimizer = model.optimizer;
  if ((options.includeOptimizer ?? true) && args && optimizer) {
    const compile = serializeCompile(args, optimizer);
    artifacts.neurona = { formatVersion: 1, trainingConfig: compile };
    const keras = kerasTrainingConfig(compile);
    if (keras) artifacts.trainingConfig = keras;
    const state: Tensor[] = optimizer.getWeights();
    try {
      const names = optimizerStateNames(model, state.length);
      const named: NamedTensor[] = state.map((t, i) => ({ name: names[i], tensor: t }));
      const enc = await encodeWeights(named);
      artifacts.optimizerWeightSpecs = enc.specs;
      artifacts.optimizerWeightData = enc.data;
    } finally {
      dispose(state);
    }
  }
  return artifacts;
}

/** Only the weights (`saveWeights`, `ModelCheckpoint({ saveWeightsOnly: true })`). */
export async function weightsToArtifacts(model: LayersModel): Promise<ModelArtifacts> {
  model.assertUsable('saveWeights');
  const weights = namedWeights(model);
  const { specs, data } = await encodeWeights(weights.map((w) => ({ name: w.name, tensor: w.variable })));
  return {
    modelTopology: null,
    format: LAYERS_FORMAT,
    generatedBy: GENERATED_BY,
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
    neurona: { formatVersion: 1, weightsOnly: true },
  };
}
