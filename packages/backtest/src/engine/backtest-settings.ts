import { ValidationError } from '@ktrdr/core';

/** Whole shares, or fractional units (forex). */
export type UnitMode = 'whole' | 'fractional';

/** How a backtest trades: capital, sizing, costs and the decision filters. */
export interface BacktestSettings {
  /** Starting capital (default 100,000). */
  readonly initialCapital: number;
  /** Fraction of the capital each new position uses, 0 < f <= 1 (default 0.25, as Python KTRDR). */
  readonly positionFraction: number;
  /** `whole` units (stocks, futures) or `fractional` (default: fractional for forex, else whole). */
  readonly units: UnitMode;
  /** Commission per side, a fraction of the trade's value (default 0.001 = 0.1%). */
  readonly commission: number;
  /** Slippage, a fraction of the price: paid above the open on buys, below it on sells (default 0.0005). */
  readonly slippage: number;
  /** Whether a SELL while flat opens a short (default true, as Python KTRDR). */
  readonly allowShort: boolean;
  /** A signal whose class probability is below this is HOLD (default 0.5). */
  readonly confidenceThreshold: number;
  /** Time that must pass after an order before the next one, ms (default 4 hours). */
  readonly minSignalSeparationMs: number;
}

/** Python KTRDR's defaults (see docs/guides/backtesting.md). */
export const DEFAULT_SETTINGS: BacktestSettings = Object.freeze({
  initialCapital: 100_000,
  positionFraction: 0.25,
  units: 'whole',
  commission: 0.001,
  slippage: 0.0005,
  allowShort: true,
  confidenceThreshold: 0.5,
  minSignalSeparationMs: 4 * 3_600_000,
});

const HOUR_MS = 3_600_000;

/** Settings as the API and the CLI spell them (all optional). */
export interface BacktestSettingsInput {
  capital?: number;
  position_fraction?: number;
  units?: UnitMode;
  commission?: number;
  slippage?: number;
  allow_short?: boolean;
  confidence_threshold?: number;
  /** Hours. */
  min_signal_separation?: number;
}

/** The strategy's `decisions` as stored with the model (see `DecisionsConfig` of @ktrdr/training). */
export interface StrategyDecisions {
  confidence_threshold?: number;
  min_signal_separation_hours?: number;
}

function check(ok: boolean, field: string, message: string): void {
  if (!ok) throw new ValidationError(`Invalid backtest setting ${field}: ${message}`, { details: { field } });
}

/**
 * The settings of one run: the request's, else the strategy's `decisions`, else the defaults
 * ({@link DEFAULT_SETTINGS}; units fractional for forex). Every value is checked.
 * @throws ValidationError naming the first bad field.
 */
export function resolveSettings(
  input: BacktestSettingsInput = {},
  decisions: StrategyDecisions = {},
  options: { forex?: boolean } = {},
): BacktestSettings {
  const separationHours = input.min_signal_separation ?? decisions.min_signal_separation_hours;
  const settings: BacktestSettings = {
    initialCapital: input.capital ?? DEFAULT_SETTINGS.initialCapital,
    positionFraction: input.position_fraction ?? DEFAULT_SETTINGS.positionFraction,
    units: input.units ?? (options.forex === true ? 'fractional' : DEFAULT_SETTINGS.units),
    commission: input.commission ?? DEFAULT_SETTINGS.commission,
    slippage: input.slippage ?? DEFAULT_SETTINGS.slippage,
    allowShort: input.allow_short ?? DEFAULT_SETTINGS.allowShort,
    confidenceThreshold:
      input.confidence_threshold ?? decisions.confidence_threshold ?? DEFAULT_SETTINGS.confidenceThreshold,
    minSignalSeparationMs:
      separationHours === undefined ? DEFAULT_SETTINGS.minSignalSeparationMs : separationHours * HOUR_MS,
  };
  const finite = (v: number) => Number.isFinite(v);
  check(
    finite(settings.initialCapital) && settings.initialCapital > 0,
    'capital',
    'must be a positive number',
  );
  check(
    finite(settings.positionFraction) && settings.positionFraction > 0 && settings.positionFraction <= 1,
    'position_fraction',
    'must be above 0 and at most 1',
  );
  check(
    settings.units === 'whole' || settings.units === 'fractional',
    'units',
    'must be whole or fractional',
  );
  check(
    finite(settings.commission) && settings.commission >= 0 && settings.commission < 0.1,
    'commission',
    'must be between 0 and 0.1 (a fraction: 0.001 = 0.1%)',
  );
  check(
    finite(settings.slippage) && settings.slippage >= 0 && settings.slippage < 0.1,
    'slippage',
    'must be between 0 and 0.1 (a fraction: 0.0005 = 0.05%)',
  );
  check(
    finite(settings.confidenceThreshold) &&
      settings.confidenceThreshold >= 0 &&
      settings.confidenceThreshold <= 1,
    'confidence_threshold',
    'must be between 0 and 1',
  );
  check(
    finite(settings.minSignalSeparationMs) && settings.minSignalSeparationMs >= 0,
    'min_signal_separation',
    'must be a number of hours, 0 or more',
  );
  return settings;
}

/** The settings as stored and answered (snake_case, hours). */
export function settingsJson(settings: BacktestSettings) {
  return {
    capital: settings.initialCapital,
    position_fraction: settings.positionFraction,
    units: settings.units,
    commission: settings.commission,
    slippage: settings.slippage,
    allow_short: settings.allowShort,
    confidence_threshold: settings.confidenceThreshold,
    min_signal_separation: settings.minSignalSeparationMs / HOUR_MS,
  };
}
