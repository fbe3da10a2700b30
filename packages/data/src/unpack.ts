import { describeData } from '@neurona/common';
// How a model reads a batch element: x, and y and sample weights when present (Keras 3's
// unpack_x_y_sample_weight, with neurona's { x, y, sampleWeight } objects too).

import { isPlainObject } from './guards';

/** The parts of a training element. */
export interface XYSampleWeight<X = unknown, Y = unknown, W = unknown> {
  x: X;
  y?: Y;
  sampleWeight?: W;
}

/**
 * Split a batch element into `{ x, y, sampleWeight }`, the forms `fit` / `evaluate` accept:
 * - `{ x, y?, sampleWeight? }` (an object with an `x` key and no keys but these three);
 * - `[x]`, `[x, y]`, `[x, y, sampleWeight]` (a tuple of 1 to 3);
 * - anything else (a tensor, a dict of inputs by name) is `x` alone.
 * A multi-input model's inputs go in `x` (a dict by input name or a tuple inside the tuple).
 */
export function unpackXYSampleWeight(element: unknown): XYSampleWeight {
  if (isPlainObject(element) && 'x' in element && Object.keys(element).every((k) => k === 'x' || k === 'y' || k === 'sampleWeight')) {
    return { x: element.x, y: element.y, sampleWeight: element.sampleWeight };
  }
  if (Array.isArray(element)) {
    if (element.length < 1 || element.length > 3) {
      throw new Error(`unpackXYSampleWeight: a tuple element must be [x], [x, y] or [x, y, sampleWeight], got ${describeData(element)}`);
    }
    return { x: element[0], y: element[1], sampleWeight: element[2] };
  }
  return { x: element };
}
