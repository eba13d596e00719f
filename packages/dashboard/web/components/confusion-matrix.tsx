const CLASSES = ['BUY', 'HOLD', 'SELL'] as const;

/**
 * A confusion matrix as a table, rows the true class and columns the predicted one, each cell
 * shaded by its share of its row so the diagonal stands out.
 */
export function ConfusionMatrix({
  matrix,
  caption,
}: {
  matrix: readonly (readonly number[])[];
  caption: string;
}) {
  return (
    <table class="confusion">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">true \ predicted</th>
          {CLASSES.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, t) => {
          const total = row.reduce((a, b) => a + b, 0) || 1;
          return (
            <tr key={t}>
              <th scope="row">{CLASSES[t] ?? `class ${t}`}</th>
              {row.map((count, p) => (
                <td
                  key={p}
                  class={t === p ? 'diagonal' : undefined}
                  style={{ background: `rgba(31, 111, 235, ${((count / total) * 0.6).toFixed(2)})` }}
                >
                  {count}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
