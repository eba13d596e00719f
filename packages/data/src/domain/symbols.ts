import { ValidationError } from '@ktrdr/core/errors';

/** IB security types ktrdr trades: stocks, forex pairs (IDEALPRO cash), futures. */
export const INSTRUMENT_TYPES = ['STK', 'CASH', 'FUT'] as const;

/** An IB security type: `'STK'` stock, `'CASH'` forex pair, `'FUT'` future. */
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

declare const PARSED_SYMBOL: unique symbol;

/**
 * A symbol {@link parseSymbol} accepted and normalised (`EUR.USD`, `AAPL`). Only `parseSymbol` makes
 * one, so a layer that takes a `ParsedSymbol` never validates it again. It is a string everywhere a
 * string is expected.
 */
export type ParsedSymbol = string & { readonly [PARSED_SYMBOL]: true };

/** Longest accepted symbol. IB's longest local symbols are well under this. */
export const MAX_SYMBOL_LENGTH = 32;

// First character alphanumeric: rules out '.', '..' and leading '-' (which CLIs read as an option).
const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9.-]*$/;
const FOREX_PATTERN = /^([A-Z]{3})\.([A-Z]{3})$/;
/** `EURUSD` or `EUR/USD`: how Python KTRDR strategies and most charting tools write a pair. */
const UNDOTTED_PAIR_PATTERN = /^([A-Z]{3})\/?([A-Z]{3})$/;

/**
 * Currencies IB quotes on IDEALPRO. A six-letter symbol made of two of them is a forex pair: no
 * stock ticker on IB's US exchanges is six letters long, so `EURUSD` cannot mean anything else.
 */
const FOREX_CURRENCIES: readonly string[] = [
  'AUD',
  'CAD',
  'CHF',
  'CNH',
  'CZK',
  'DKK',
  'EUR',
  'GBP',
  'HKD',
  'HUF',
  'ILS',
  'JPY',
  'MXN',
  'NOK',
  'NZD',
  'PLN',
  'SEK',
  'SGD',
  'TRY',
  'USD',
  'ZAR',
];

/** Crypto assets by their usual tickers, and what they are quoted in: pairs ktrdr does not serve. */
const CRYPTO_ASSETS = 'BTC|ETH|LTC|BCH|XRP|SOL|DOGE|ADA|DOT|LINK|AVAX|MATIC|SHIB|UNI|XLM';
const CRYPTO_PATTERN = new RegExp(`^(${CRYPTO_ASSETS})[-./]?(USD|USDT|USDC|EUR|GBP|BTC|ETH)$`);

/**
 * Validates and normalises a symbol (trimmed, upper-cased). The rules make a symbol safe to use as
 * part of a file name: only `A-Z 0-9 . -`, at most {@link MAX_SYMBOL_LENGTH} characters, never
 * starting with `.` or `-`, never containing `..`, so no symbol can name a path outside its folder.
 *
 * A forex pair written `EURUSD` or `EUR/USD` (as Python KTRDR strategies write them; its symbol
 * validator splits six-letter pairs too) becomes IB's `EUR.USD`, the IDEALPRO cash pair, so it is
 * fetched, stored and named as one instrument however it was written.
 * @throws ValidationError with `details.field = 'symbol'`; for a crypto pair (`BTCUSD`,
 *   `ETH-USD`), which ktrdr does not serve, also `details.reason = 'crypto'`.
 */
export function parseSymbol(value: unknown): ParsedSymbol {
  if (typeof value !== 'string') {
    throw symbolError(`Symbol must be a string, got ${value === null ? 'null' : typeof value}.`, value);
  }
  const symbol = value.trim().toUpperCase();
  if (symbol.length === 0)
    throw symbolError('Symbol is empty: pass a ticker such as AAPL or EUR.USD.', value);
  if (CRYPTO_PATTERN.test(symbol)) {
    throw new ValidationError(
      `'${value}' is a crypto pair: ktrdr serves IB stocks, forex (IDEALPRO) and futures, not crypto.`,
      { details: { field: 'symbol', value: String(value), reason: 'crypto' } },
    );
  }
  const pair = UNDOTTED_PAIR_PATTERN.exec(symbol);
  if (pair && isCurrencyPair(pair[1] as string, pair[2] as string))
    return `${pair[1]}.${pair[2]}` as ParsedSymbol;
  if (symbol.length > MAX_SYMBOL_LENGTH) {
    throw symbolError(`Symbol '${value}' is longer than ${MAX_SYMBOL_LENGTH} characters.`, value);
  }
  if (!SYMBOL_PATTERN.test(symbol) || symbol.includes('..')) {
    throw symbolError(
      `Invalid symbol '${value}': use letters, digits, '.' and '-' only, starting with a letter or digit ` +
        `(e.g. AAPL, BRK.B, EUR.USD).`,
      value,
    );
  }
  return symbol as ParsedSymbol;
}

function isCurrencyPair(base: string, quote: string): boolean {
  return base !== quote && FOREX_CURRENCIES.includes(base) && FOREX_CURRENCIES.includes(quote);
}

/** True for a forex pair in IB's `BASE.QUOTE` form, such as `EUR.USD`. */
export function isForexSymbol(symbol: string): boolean {
  return FOREX_PATTERN.test(symbol);
}

/** Splits `EUR.USD` into `{ base: 'EUR', quote: 'USD' }`; `undefined` for anything that is not a forex pair. */
export function splitForexPair(symbol: string): { base: string; quote: string } | undefined {
  const match = FOREX_PATTERN.exec(symbol);
  return match ? { base: match[1] as string, quote: match[2] as string } : undefined;
}

/**
 * Best guess of a symbol's instrument type from its name alone: `CASH` for `EUR.USD`-style pairs,
 * otherwise `STK`. Futures cannot be told apart by name (ES, CL...), so callers that know better pass
 * the type explicitly; the broker's contract lookup remains the authority.
 */
export function detectInstrumentType(symbol: string): InstrumentType {
  return isForexSymbol(symbol) ? 'CASH' : 'STK';
}

/**
 * Validates an instrument type given by a user.
 * @throws ValidationError with `details.field = 'instrumentType'`.
 */
export function parseInstrumentType(value: unknown): InstrumentType {
  if (typeof value === 'string' && (INSTRUMENT_TYPES as readonly string[]).includes(value.toUpperCase())) {
    return value.toUpperCase() as InstrumentType;
  }
  throw new ValidationError(
    `Unknown instrument type '${String(value)}': use one of ${INSTRUMENT_TYPES.join(', ')}.`,
    {
      details: { field: 'instrumentType', value: String(value), accepted: [...INSTRUMENT_TYPES] },
    },
  );
}

function symbolError(message: string, value: unknown): ValidationError {
  return new ValidationError(message, { details: { field: 'symbol', value: String(value) } });
}
