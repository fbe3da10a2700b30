/** A shape as messages print it: `[null, 784]` (`null` is an unknown size, as Keras's `None`). */
export function formatShape(shape: readonly (number | null | undefined)[]): string {
  return `[${shape.map((d) => (d === null || d === undefined ? 'null' : String(d))).join(', ')}]`;
}
