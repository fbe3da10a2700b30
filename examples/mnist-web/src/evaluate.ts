import { classificationReport, confusionMatrix } from '@neurona/metrics';
import { argMax, dispose, type Tensor } from '@neurona/tensor';
import { digitProbabilities, type DigitModel } from './digit-model';
import type { Evaluation } from './shared/view';

/** Confusion matrix, classification report and accuracy of `model` on the test split. */
export async function evaluateTest(model: DigitModel, xTest: Tensor, yTest: Tensor): Promise<Evaluation> {
  const probs = digitProbabilities(model, xTest);
  const [pred, truth] = [argMax(probs, 1), argMax(yTest, 1)];
  // Async reads: a synchronous read would block the page on a GPU backend
  const [p, t] = await Promise.all([pred.data(), truth.data()]);
  dispose([probs, pred, truth]);
  const matrix = confusionMatrix(t, p, { numClasses: 10 });
  const correct = matrix.reduce((s, row, i) => s + row[i], 0);
  return {
    matrix,
    testAccuracy: correct / Math.max(1, t.length),
    report: classificationReport(t, p, { digits: 3, zeroDivision: 0 }),
  };
}
