import { tensor3d, tidy } from '@neurona/tensor';
import { digitProbabilities, type DigitModel } from './digit-model';

/** The model's 10 probabilities for one 28 × 28 image (row-major, ink 1). */
export async function predictDigit(model: DigitModel, image: Float32Array): Promise<number[]> {
  const probs = tidy(() => digitProbabilities(model, tensor3d(image, [1, 28, 28]), 1));
  try {
    return Array.from(await probs.data());
  } finally {
    probs.dispose();
  }
}
