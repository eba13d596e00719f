import type { ComponentChildren } from 'preact';

/**
 * A list table's head: one column header per name, then an "actions" column for each row's
 * buttons, named for screen readers only.
 */
export function ListHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        <th scope="col">
          <span class="visually-hidden">actions</span>
        </th>
      </tr>
    </thead>
  );
}

/** Props of {@link RowToggle}. */
export interface RowToggleProps {
  /** The button's accessible name (`Show bt_...`): the visible text alone would not say which row. */
  label: string;
  /** True while this row's item is the one shown. */
  pressed: boolean;
  onClick: () => void;
  children?: ComponentChildren;
}

/** The button that shows a list row's item below the table; pressed while it is shown. */
export function RowToggle({ label, pressed, onClick, children }: RowToggleProps) {
  return (
    <button type="button" aria-label={label} aria-pressed={pressed} onClick={onClick}>
      {children}
    </button>
  );
}
