// A model as artifacts: topology, weights, compile configuration and optimizer state.
import { dispose } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { LayersModel } from '../model';
import { encodeWeights } from './weight-codec';
import type { NamedTensor } from './weight-codec';
import { LAYERS_FORMAT } from './model-json';
import { modelTopology } from './topology-write';
import { kerasTrainingConfig, serializeCompile } from './training-config';
import { namedWeights } from './weight-names';
import { optimizerStateLayout } from './optimizer-state';
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
      const layout = optimizerStateLayout(model, optimizer, state.length);
      const named: NamedTensor[] = layout.map((e) => ({ name: e.name, tensor: state[e.index] }));
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
