import { concat, ones, randomNormal, randomUniform, valueAndGradients, zeros } from '@neurona/tensor';
import type { Scalar, Tensor } from '@neurona/tensor';
import { LayersModel, type StepData, type StepLogs } from '@neurona/models';
import { Mean, type Metric } from '@neurona/metrics';
import type { KerasOptimizer } from '@neurona/optimizers';
import type { Loss } from '@neurona/losses';

/** What `compileGan` takes, as the guide's `GAN.compile(d_optimizer, g_optimizer, loss_fn)`. */
export interface GanCompileArgs {
  dOptimizer: KerasOptimizer;
  gOptimizer: KerasOptimizer;
  lossFn: Loss;
}

/**
 * The GAN of Keras's guide "Customizing what happens in fit()": a model without a graph of its
 * own, holding a discriminator and a generator, trained by `fit(realImages)` through its own
 * `trainStep` with two optimizers. The `metrics` getter lists the loss trackers, so `fit` resets
 * them at each epoch and the progress bar shows `d_loss` and `g_loss`.
 */
export class GAN extends LayersModel {
  readonly dLossTracker = Mean({ name: 'd_loss' });
  readonly gLossTracker = Mean({ name: 'g_loss' });
  private args: GanCompileArgs | null = null;

  constructor(
    readonly discriminator: LayersModel,
    readonly generator: LayersModel,
    readonly latentDim: number,
  ) {
    super({ name: 'gan' });
  }

  override get metrics(): Metric[] {
    return [this.dLossTracker, this.gLossTracker];
  }

  /** The guide's `compile(d_optimizer, g_optimizer, loss_fn)` (a method of its own: `compile` takes Keras's arguments). */
  compileGan(args: GanCompileArgs): void {
    super.compile();
    this.args = args;
  }

  override trainStep([realImages]: StepData): StepLogs {
    if (!this.args) throw new Error('GAN: call compileGan({ dOptimizer, gOptimizer, lossFn }) before fit');
    const { dOptimizer, gOptimizer, lossFn } = this.args;
    const real = realImages as Tensor;
    const batchSize = real.shape[0];

    // Decode random points of the latent space into fake images, and mix them with real ones.
    const generated = this.generator.apply(randomNormal([batchSize, this.latentDim])) as Tensor;
    const combined = concat([generated, real], 0);
    // Labels: 1 for fake, 0 for real, plus a little noise (an important trick, the guide says).
    const labels = concat([ones([batchSize, 1]), zeros([batchSize, 1])], 0).add(randomUniform([2 * batchSize, 1], 0, 0.05));

    // Train the discriminator.
    const d = valueAndGradients(
      () => lossFn(labels, this.discriminator.apply(combined, { training: true }) as Tensor) as Scalar,
      this.discriminator.trainableWeights,
    );
    dOptimizer.apply(d.grads, this.discriminator.trainableWeights);

    // Train the generator to make the discriminator say "real" (without updating the discriminator).
    const misleading = zeros([batchSize, 1]);
    const g = valueAndGradients(() => {
      const fake = this.generator.apply(randomNormal([batchSize, this.latentDim]), { training: true }) as Tensor;
      return lossFn(misleading, this.discriminator.apply(fake) as Tensor) as Scalar;
    }, this.generator.trainableWeights);
    gOptimizer.apply(g.grads, this.generator.trainableWeights);

    this.dLossTracker.updateState(d.loss);
    this.gLossTracker.updateState(g.loss);
    return { d_loss: this.dLossTracker.result(), g_loss: this.gLossTracker.result() };
  }
}
