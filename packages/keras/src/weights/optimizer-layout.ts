// Where each optimizer variable sits in Keras 3's `optimizer.variables` (what `optimizer/vars/<i>`
// of a .keras file and `optimizer_weights` of a Keras 3 .h5 hold): the iteration counter, the
// learning rate (when it is a number, not a schedule), then the slots of each `build` call,
// interleaved per trainable variable within a call (Keras's add_optimizer_variables). The table
// gives those calls per optimizer; neurona's slot names are their camelCase.
import type { JsonObject } from '../config/json';

/** Keras's slot groups of an optimizer, from its (neurona-form) config; null when unknown. */
export function kerasSlotGroups(className: string, config: JsonObject): string[][] | null {
  switch (className) {
    case 'SGD':
      return typeof config.momentum === 'number' && config.momentum !== 0 ? [['momentum']] : [];
    case 'Adam':
    case 'AdamW':
      return config.amsgrad === true ? [['momentum', 'velocity'], ['velocity_hat']] : [['momentum', 'velocity']];
    case 'RMSprop': {
      const g = [['velocity']];
      if (typeof config.momentum === 'number' && config.momentum > 0) g.push(['momentum']);
      if (config.centered === true) g.push(['average_gradient']);
      return g;
    }
    case 'Adagrad':
      return [['accumulator']];
    default:
      return null;
  }
}
