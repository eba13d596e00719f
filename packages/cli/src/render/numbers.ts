/**
 * `1234567` as `1,234,567`: counts read at a glance in tables and summaries. By hand, not with
 * `toLocaleString`: the first Intl number format costs ~50 ms of ICU start-up, a third of a
 * command's budget.
 */
export function formatCount(value: number): string {
  if (!Number.isInteger(value)) return String(value);
  const digits = String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return value < 0 ? `-${digits}` : digits;
}

/**
 * How many decimals a column of prices needs: enough for the finest value (a forex quote needs
 * five, a stock two), capped so that floating-point noise (0.1 + 0.2) never shows.
 */
export function decimalsFor(values: readonly number[], max = 6): number {
  let decimals = 0;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    const fixed = value.toFixed(max).replace(/0+$/, '');
    const dot = fixed.indexOf('.');
    decimals = Math.max(decimals, dot < 0 ? 0 : fixed.length - dot - 1);
  }
  return decimals;
}

/** A number with a fixed count of decimals, or `-` for a missing one. */
export function formatFixed(value: number | null | undefined, decimals: number): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(decimals);
}

/** A ratio as a percentage with one decimal: `0.4567` -> `45.7%`. */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}
