import type { Writer } from '../writer';
import { defaultWriter } from '../writer';
import type { Callback, CallbackModel, FitParams } from './types';

/** Shared plumbing of the built-in callbacks: the model, params and writer `fit` hands them. */
export abstract class BaseCallback implements Callback {
  protected model: CallbackModel | null = null;
  protected params: FitParams | null = null;
  protected writer: Writer | null = null;

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  setParams(params: FitParams): void {
    this.params = params;
  }

  setWriter(writer: Writer): void {
    this.writer = writer;
  }

  /** The model `fit` set; a callback used outside `fit` has none. */
  protected requireModel(who: string): CallbackModel {
    if (!this.model) throw new Error(`${who}: no model; pass the callback to model.fit({ callbacks: [...] })`);
    return this.model;
  }

  protected print(line: string): void {
    (this.writer ?? (this.writer = defaultWriter())).write(`${line}\n`);
  }
}
