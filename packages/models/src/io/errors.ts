/**
 * A model file that cannot be loaded: malformed, truncated, hostile or not matching the model.
 * The message says what was expected and what was found.
 */
export class ModelFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelFileError';
  }
}

/** A short printable form of a value for messages: `describeValue` of @neurona/common. */
import { describeValue as show } from '@neurona/common';

export { show };
