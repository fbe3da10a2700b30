// A metric is both an object with Metric's members and a function: `Precision()(yTrue, yPred)` is
// `Precision().batchValue(yTrue, yPred)`, the form 0.1 offered. The base constructor returns a
// function whose prototype is the class being constructed, so subclass fields land on that
// function and `instanceof` holds (the same trick as @neurona/layers' CallableBase).
// oxlint-disable-next-line typescript/no-extraneous-class
export class CallableMetricBase {
  constructor() {
    const self = ((...args: unknown[]): unknown =>
      (self as unknown as { batchValue(...a: unknown[]): unknown }).batchValue(...args)) as unknown as Record<string, unknown>;
    // Functions own read-only `name` and `length`; metrics need a writable `name`.
    delete self.name;
    delete self.length;
    Object.setPrototypeOf(self, new.target.prototype);
    return self as unknown as CallableMetricBase;
  }
}
