/** Keras's fuzz factor `backend.epsilon()`: probabilities are clipped to [EPSILON, 1 - EPSILON]. */
export const EPSILON = 1e-7;
