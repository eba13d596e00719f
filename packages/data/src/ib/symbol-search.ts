/**
 * IB's symbol search (`reqMatchingSymbols`, answered by SYMBOL_SAMPLES): the contracts whose symbol
 * or name matches a pattern, as IB ranks them. Turned into plain records here so nothing above the
 * IB transport sees `@stoqey/ib` types.
 */
import { ValidationError } from '@ktrdr/core';
import type { IbContractDescription } from './ib-api-port';

/** One contract IB found for a search pattern. */
export interface IbSymbolMatch {
  symbol: string;
  /** IB security type: `STK`, `CASH`, `FUT`, `CRYPTO`, `IND` ... */
  secType: string;
  primaryExchange: string;
  currency: string;
  conId: number;
  /** The company or instrument name (IB sends it from server version 176). */
  description: string;
  /** Derivatives IB lists on it (`OPT`, `FOP`, `WAR` ...). */
  derivativeSecTypes: string[];
}

/** The longest pattern accepted: IB matches on a few characters; anything long is a mistake. */
export const MAX_SEARCH_PATTERN_LENGTH = 64;

/**
 * Checks a search pattern: non-empty after trimming, at most 64 characters, printable.
 * @throws ValidationError (`details.field = 'pattern'`).
 */
export function parseSearchPattern(value: unknown): string {
  const pattern = typeof value === 'string' ? value.trim() : '';
  const printable = [...pattern].every((char) => char >= ' ' && char !== '\u007f');
  if (pattern === '' || pattern.length > MAX_SEARCH_PATTERN_LENGTH || !printable) {
    throw new ValidationError(
      `Invalid search pattern: give 1 to ${MAX_SEARCH_PATTERN_LENGTH} printable characters, e.g. 'AAPL' or 'apple'.`,
      { details: { field: 'pattern' } },
    );
  }
  return pattern;
}

/** SYMBOL_SAMPLES entries as {@link IbSymbolMatch} records, in IB's order. */
export function toSymbolMatches(samples: readonly IbContractDescription[]): IbSymbolMatch[] {
  return samples.map((sample) => ({
    symbol: sample.contract?.symbol ?? '',
    secType: sample.contract?.secType ?? '',
    primaryExchange: sample.contract?.primaryExch ?? '',
    currency: sample.contract?.currency ?? '',
    conId: sample.contract?.conId ?? 0,
    description: sample.contract?.description ?? '',
    derivativeSecTypes: [...(sample.derivativeSecTypes ?? [])],
  }));
}
