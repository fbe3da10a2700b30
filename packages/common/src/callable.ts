/**
 * A base class whose instances are functions: calling an instance calls its method `method`
 * (`Dense(10)(x)` is `Dense(10).apply(x)`, `Precision()(t, p)` its `batchValue(t, p)`). The
 * constructor returns a function whose prototype is the class being constructed, so subclass
 * fields land on that function and `instanceof` holds.
 *
 * `class Layer extends callableBase('apply') { ... }`
 */
export function callableBase(method: string): new () => object {
  // oxlint-disable-next-line typescript/no-extraneous-class
  return class CallableBase {
    constructor() {
      const self = ((...args: unknown[]): unknown =>
        (self as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...args)) as unknown as Record<string, unknown>;
      // functions own read-only `name` and `length`; layers and metrics need a writable `name`
      delete self.name;
      delete self.length;
      Object.setPrototypeOf(self, new.target.prototype);
      return self as unknown as CallableBase;
    }
  };
}
