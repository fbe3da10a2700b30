// The two tasks of the example, out of the same digits: A, the digits 0-4 with every label (the
// "large dataset" a base is pretrained on), and B, the digits 5-9 with only a few labels per class
// (the new problem), the rest of B held out for testing.
import { cast, createRng, gather, oneHot, tensor1d, tidy } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';

/** Images and one-hot labels of one split. */
export interface Split {
  x: Tensor;
  y: Tensor;
}

/** The splits the program trains and tests on. */
export interface Tasks {
  /** Digits 0-4, labels 0-4. */
  pretrain: Split;
  /** `labelsPerClass` digits of each of 5-9, labels 0-4 (digit − 5). */
  train: Split;
  /** The other digits 5-9. */
  test: Split;
}

function take(x: Tensor, rows: number[], labels: number[]): Split {
  return tidy(() => ({
    x: gather(x, tensor1d(rows, 'int32')),
    y: cast(oneHot(tensor1d(labels, 'int32'), 5), 'float32'),
  }));
}

/** Splits `x` (images) by the digit of `y` (one-hot, 10 classes); the few labels of B are drawn with `seed`. */
export async function makeTasks(x: Tensor, y: Tensor, labelsPerClass: number, seed: number): Promise<Tasks> {
  const argmax = y.argMax(1);
  const digits = Array.from(await argmax.data());
  argmax.dispose();
  const a: number[] = [];
  const byClass: number[][] = [[], [], [], [], []];
  digits.forEach((d, i) => (d < 5 ? a.push(i) : byClass[d - 5].push(i)));
  const rng = createRng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of byClass) {
    // Fisher–Yates with the seeded generator: the same labelled digits every run
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    if (rows.length <= labelsPerClass) throw new Error(`only ${rows.length} digits of a class in 5-9; ask for fewer than ${labelsPerClass} labels per class or more samples`);
    train.push(...rows.slice(0, labelsPerClass));
    test.push(...rows.slice(labelsPerClass));
  }
  const label = (rows: number[], offset: number) => rows.map((r) => digits[r] - offset);
  return {
    pretrain: take(x, a, label(a, 0)),
    train: take(x, train, label(train, 5)),
    test: take(x, test, label(test, 5)),
  };
}
