/** Props of {@link TextField}. */
export interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'date' | 'number';
  required?: boolean;
  placeholder?: string | undefined;
  min?: number;
  max?: number;
}

/** A labelled `<input>`: the label wraps it, so the label's text is its accessible name. */
export function TextField({ label, onInput, type = 'text', ...attributes }: TextFieldProps) {
  const input = {
    ...attributes,
    onInput: (e: { currentTarget: HTMLInputElement }) => onInput(e.currentTarget.value),
  };
  // One literal type per branch: Preact types an input's other attributes by its type.
  return (
    <label>
      {label}{' '}
      {type === 'number' ? (
        <input type="number" {...input} />
      ) : type === 'date' ? (
        <input type="date" {...input} />
      ) : (
        <input type="text" {...input} />
      )}
    </label>
  );
}
