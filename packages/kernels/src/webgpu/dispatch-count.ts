// Counting the compute dispatches and the submits of any code on a device (the tape path's
// kernels included): the compute pass encoder's `dispatchWorkgroups` is wrapped on its prototype,
// the queue's `submit` on the queue, while counting.
import type { GpuDevice } from './gpu-types';

/** A running count of dispatches; `stop` puts the original method back. */
export interface DispatchCounter {
  readonly count: number;
  stop(): void;
}

/** Count every `dispatchWorkgroups` recorded on `device`'s compute passes from now until `stop`. */
export function countDispatches(device: GpuDevice): DispatchCounter {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.end();
  encoder.finish();
  const proto = Object.getPrototypeOf(pass) as { dispatchWorkgroups: (...a: number[]) => void };
  const original = proto.dispatchWorkgroups;
  let count = 0;
  let stopped = false;
  proto.dispatchWorkgroups = function (this: unknown, ...a: number[]) {
    count += 1;
    return original.apply(this, a);
  };
  return {
    get count() {
      return count;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      proto.dispatchWorkgroups = original;
    },
  };
}

/** Count every command buffer submitted to `device`'s queue (`queue.submit`) from now until `stop`. */
export function countSubmits(device: GpuDevice): DispatchCounter {
  const queue = device.queue as { submit(buffers: unknown[]): void };
  const own = Object.prototype.hasOwnProperty.call(queue, 'submit');
  const original = queue.submit;
  let count = 0;
  let stopped = false;
  queue.submit = function (this: unknown, buffers: unknown[]) {
    count += buffers.length;
    return original.call(this, buffers);
  };
  return {
    get count() {
      return count;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      // the queue's own method again (its prototype's, unless it had one of its own)
      if (own) queue.submit = original;
      else delete (queue as { submit?: unknown }).submit;
    },
  };
}
