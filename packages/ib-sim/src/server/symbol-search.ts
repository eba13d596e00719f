/**
 * reqMatchingSymbols (81) -> SYMBOL_SAMPLES (79): the universe's instruments whose symbol starts with
 * the pattern, or whose name contains it, case-insensitively; exact symbols first, then symbol
 * prefixes, then names, as a gateway ranks them. Crypto pairs are searchable too.
 */
import type { Instrument } from '../market/instrument';
import type { Universe } from '../market/universe';
import type { SymbolSample } from '../protocol/encoder-extra';
import { CRYPTO_PAIRS } from './other-contracts';

/** What a gateway lists as derivatives of each security type. */
const DERIVATIVES: Readonly<Record<string, readonly string[]>> = {
  STK: ['CFD', 'OPT', 'IOPT', 'WAR', 'BAG'],
  FUT: ['FOP'],
  CASH: [],
  CRYPTO: [],
};

function sampleOf(instrument: Instrument): SymbolSample {
  return {
    conId: instrument.conId,
    symbol: instrument.ibSymbol,
    secType: instrument.secType,
    primaryExch: instrument.secType === 'STK' ? instrument.primaryExchange : instrument.exchange,
    currency: instrument.currency,
    derivativeSecTypes: DERIVATIVES[instrument.secType] ?? [],
    description: instrument.longName,
    issuerId: '',
  };
}

/** The symbol samples matching `pattern`, best matches first (none for an empty pattern). */
export function matchingSymbols(universe: Universe, pattern: string): SymbolSample[] {
  const wanted = pattern.trim().toUpperCase();
  if (wanted === '') return [];
  const candidates: { sample: SymbolSample; keys: readonly string[]; name: string }[] = [
    ...universe.list().map((instrument) => ({
      sample: sampleOf(instrument),
      keys: [instrument.ibSymbol, instrument.symbol],
      name: instrument.longName.toUpperCase(),
    })),
    ...CRYPTO_PAIRS.map((pair) => ({
      sample: {
        conId: pair.conId,
        symbol: pair.symbol,
        secType: 'CRYPTO',
        primaryExch: pair.exchange,
        currency: pair.currency,
        derivativeSecTypes: DERIVATIVES['CRYPTO'] ?? [],
        description: pair.longName,
        issuerId: '',
      },
      keys: [pair.symbol],
      name: pair.longName.toUpperCase(),
    })),
  ];
  const rank = (keys: readonly string[], name: string): number => {
    if (keys.includes(wanted)) return 0;
    if (keys.some((key) => key.startsWith(wanted))) return 1;
    return name.includes(wanted) ? 2 : 3;
  };
  return candidates
    .map((candidate, index) => ({ ...candidate, index, rank: rank(candidate.keys, candidate.name) }))
    .filter((candidate) => candidate.rank < 3)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((candidate) => candidate.sample);
}
