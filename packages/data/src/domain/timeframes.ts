import { ValidationError } from '@ktrdr/core/errors';

/** Every bar timeframe ktrdr supports, shortest first. `1M` is one calendar month. */
export const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '2h', '3h', '4h', '1d', '1w', '1M'] as const;

/** A bar timeframe such as `'1h'` or `'1d'`. */
export type Timeframe = (typeof TIMEFRAMES)[number];

/** How a timeframe maps onto IB and onto wall-clock time. */
export interface TimeframeSpec {
  /**
   * Bar length in milliseconds. Exact up to `1w`; nominal (30 days) for `1M`, whose bars follow the
   * calendar, so never step months by adding this value.
   */
  readonly ms: number;
  /** IB `barSizeSetting` for `reqHistoricalData`. */
  readonly ibBarSize: string;
  /** Longest span, in days, one historical request may cover (conservative, from the Python system). */
  readonly maxRequestDays: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Per-timeframe IB bar size and request limit. The Python system had no entry for 2h, 3h and 1M and
 * crashed on them; here every timeframe has one, interpolated conservatively between its neighbours.
 */
export const TIMEFRAME_SPECS: Readonly<Record<Timeframe, TimeframeSpec>> = Object.freeze({
  '1m': { ms: MINUTE, ibBarSize: '1 min', maxRequestDays: 1 },
  '5m': { ms: 5 * MINUTE, ibBarSize: '5 mins', maxRequestDays: 7 },
  '15m': { ms: 15 * MINUTE, ibBarSize: '15 mins', maxRequestDays: 14 },
  '30m': { ms: 30 * MINUTE, ibBarSize: '30 mins', maxRequestDays: 30 },
  '1h': { ms: HOUR, ibBarSize: '1 hour', maxRequestDays: 30 },
  '2h': { ms: 2 * HOUR, ibBarSize: '2 hours', maxRequestDays: 60 },
  '3h': { ms: 3 * HOUR, ibBarSize: '3 hours', maxRequestDays: 90 },
  '4h': { ms: 4 * HOUR, ibBarSize: '4 hours', maxRequestDays: 120 },
  '1d': { ms: DAY, ibBarSize: '1 day', maxRequestDays: 365 },
  '1w': { ms: 7 * DAY, ibBarSize: '1 week', maxRequestDays: 730 },
  '1M': { ms: 30 * DAY, ibBarSize: '1 month', maxRequestDays: 3650 },
});

const TIMEFRAME_SET: ReadonlySet<string> = new Set(TIMEFRAMES);

/** True when `value` is one of {@link TIMEFRAMES} (case-sensitive: `1m` is a minute, `1M` a month). */
export function isTimeframe(value: unknown): value is Timeframe {
  return typeof value === 'string' && TIMEFRAME_SET.has(value);
}

/**
 * Checks a user-supplied timeframe.
 * @throws ValidationError (`details.field = 'timeframe'`, `details.accepted`) for anything else.
 */
export function parseTimeframe(value: unknown): Timeframe {
  if (isTimeframe(value)) return value;
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  throw new ValidationError(
    `Unknown timeframe ${shown}: use one of ${TIMEFRAMES.join(', ')} (case matters: 1m is a minute, 1M a month).`,
    {
      details: {
        field: 'timeframe',
        value: typeof value === 'string' ? value : shown,
        accepted: [...TIMEFRAMES],
      },
    },
  );
}

/** Maximum request duration of a timeframe, in milliseconds. */
export function maxRequestMs(timeframe: Timeframe): number {
  return TIMEFRAME_SPECS[timeframe].maxRequestDays * DAY;
}
