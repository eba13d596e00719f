/**
 * Feature column name for `set` over fuzzy input `input`: `{input}_{set}`, with the `.` of a
 * `key.output` input written as `_`. The key is the indicator's `feature_id`, or its `name` exactly as
 * written in the strategy, so a Python KTRDR v2 strategy with `name: rsi` and a set `oversold` gets the
 * column `rsi_oversold` as it did there; `macd.histogram` with `positive` gives
 * `macd_histogram_positive`.
 *
 * Here, not in features/, because the strategy parser refuses two sets that would write the same
 * column; features/ builds the columns with it.
 */
export function fuzzyColumnName(input: string, set: string): string {
  return `${input.replace('.', '_')}_${set}`;
}
