/**
 * Price rounding to an instrument's tick. Prices are rounded through an integer number of
 * 10^-decimals units so that `String(price)` prints the short form IB sends (189.45, not
 * 189.45000000000002).
 */

/** Number of decimals needed to print a tick size exactly (0.01 -> 2, 0.00005 -> 5, 0.25 -> 2). */
export function decimalsOf(tick: number): number {
  let decimals = 0;
  while (decimals < 10 && Math.abs(Math.round(tick * 10 ** decimals) - tick * 10 ** decimals) > 1e-9) {
    decimals += 1;
  }
  return decimals;
}

/** Rounding helpers bound to one tick size. */
export interface TickRounder {
  readonly tick: number;
  readonly decimals: number;
  /** Nearest tick. */
  round(price: number): number;
  /** Largest tick at or below. */
  floor(price: number): number;
  /** Smallest tick at or above. */
  ceil(price: number): number;
  /** Rounds to `extraDecimals` more decimals than the tick (for WAP and midpoints). */
  fine(value: number, extraDecimals: number): number;
}

/** Creates rounding helpers for a tick size. */
export function tickRounder(tick: number): TickRounder {
  const decimals = decimalsOf(tick);
  const scale = 10 ** decimals;
  const clean = (units: number): number => Math.round(units * tick * scale) / scale;
  // The epsilon keeps values that are a tick multiple up to float noise on that tick.
  return {
    tick,
    decimals,
    round: (price) => clean(Math.round(price / tick)),
    floor: (price) => clean(Math.floor(price / tick + 1e-9)),
    ceil: (price) => clean(Math.ceil(price / tick - 1e-9)),
    fine: (value, extraDecimals) => {
      const fineScale = 10 ** (decimals + extraDecimals);
      return Math.round(value * fineScale) / fineScale;
    },
  };
}
