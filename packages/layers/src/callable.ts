// A layer is both an object with Layer's members and a function: `Dense(10)(x)` is
// `Dense(10).apply(x)`. The base constructor returns a function whose prototype is the class
// being constructed, so subclass fields land on that function and `instanceof` holds.
// oxlint-disable-next-line typescript/no-extraneous-class
export class CallableBase {
  constructor() {
    const self = ((...args: unknown[]): unknown =>
      (self as unknown as { apply(...a: unknown[]): unknown }).apply(...args)) as unknown as Record<string, unknown>;
    // Functions own read-only `name` and `length`; layers need a writable `name`.
    delete self.name;
    delete self.length;
    Object.setPrototypeOf(self, new.target.prototype);
    return self as unknown as CallableBase;
  }
}
