import { useId } from 'preact/hooks';

/** Props of {@link SelectField}. */
export interface SelectFieldProps {
  label: string;
  value: string;
  /** Values, or `[value, text]` pairs. */
  options: readonly (string | readonly [string, string])[];
  onChange: (value: string) => void;
  name?: string;
}

/**
 * A labelled `<select>`. The label points at it with `for` rather than wrapping it, since a wrapped
 * select's option texts would become part of its accessible name ("Kind all data_load training").
 */
export function SelectField({ label, value, options, onChange, name }: SelectFieldProps) {
  const id = useId();
  return (
    <span class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {options.map((option) => {
          const [v, text] = typeof option === 'string' ? [option, option] : option;
          return (
            <option key={v} value={v}>
              {text}
            </option>
          );
        })}
      </select>
    </span>
  );
}
