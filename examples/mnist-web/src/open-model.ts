// "Open a .keras model": a file input and a line saying what was opened. DOM only; main.ts loads
// the file (with @neurona/keras, imported on demand so a plain visit does not download it).

/** Handles on the control. */
export interface OpenModelControl {
  /** What was opened (`model.keras: input [null, 784] · 3 layers`), or why it was not. */
  setState(text: string, isError?: boolean): void;
}

/** Put the control after `before` and call `onFile` with each chosen file. */
export function createOpenModel(before: Element, onFile: (file: File) => void): OpenModelControl {
  const section = document.createElement('section');
  section.className = 'open-model';
  const label = Object.assign(document.createElement('label'), { textContent: 'Open a .keras model ' });
  const input = Object.assign(document.createElement('input'), { type: 'file', accept: '.keras' });
  input.dataset.testid = 'open-model';
  label.append(input);
  const state = document.createElement('span');
  state.dataset.testid = 'opened-model';
  section.append(label, ' ', state);
  before.after(section);
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    // Cleared so that choosing the same file again fires `change` again
    input.value = '';
    if (file) onFile(file);
  });
  return {
    setState(text, isError = false) {
      state.textContent = text;
      state.className = isError ? 'error' : '';
    },
  };
}
