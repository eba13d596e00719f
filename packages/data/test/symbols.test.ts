import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import {
  detectInstrumentType,
  isForexSymbol,
  parseInstrumentType,
  parseSymbol,
  splitForexPair,
} from '../src/domain/symbols';

function symbolErrorOf(value: unknown): ValidationError {
  try {
    parseSymbol(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`parseSymbol accepted ${String(value)}`);
}

describe('parseSymbol', () => {
  it('accepts stock, class-share, forex and future symbols, normalised to upper case', () => {
    expect(parseSymbol('AAPL')).toBe('AAPL');
    expect(parseSymbol(' msft ')).toBe('MSFT');
    expect(parseSymbol('BRK.B')).toBe('BRK.B');
    expect(parseSymbol('eur.usd')).toBe('EUR.USD');
    expect(parseSymbol('ES')).toBe('ES');
    expect(parseSymbol('BF-B')).toBe('BF-B');
    expect(parseSymbol('A'.repeat(32))).toBe('A'.repeat(32));
  });

  it('rejects every path-like or unsafe name with details.field = symbol', () => {
    const bad = [
      '../etc/passwd',
      '..',
      '.',
      '.hidden',
      'A..B',
      'A/B',
      'A\\B',
      '/AAPL',
      'C:AAPL',
      'AAPL\u0000',
      'AAPL_1H',
      '-AAPL',
      'A B',
      '',
      '   ',
      'A'.repeat(33),
      'ÄPFEL',
    ];
    for (const value of bad) {
      const error = symbolErrorOf(value);
      expect(error.details.field).toBe('symbol');
    }
    for (const value of [42, null, undefined, { toString: () => 'AAPL' }]) {
      expect(symbolErrorOf(value).details.field).toBe('symbol');
    }
  });

  it('never returns a symbol that contains a separator or a parent reference', () => {
    for (const value of ['..%2F', 'a/..', 'x\\..\\y', '....']) {
      expect(() => parseSymbol(value)).toThrow(ValidationError);
    }
  });
});

describe('forex and crypto spellings', () => {
  it("resolves six-letter and slashed forex pairs to IB's EUR.USD form, as Python KTRDR splits them", () => {
    expect(parseSymbol('EURUSD')).toBe('EUR.USD');
    expect(parseSymbol(' gbpusd ')).toBe('GBP.USD');
    expect(parseSymbol('USDJPY')).toBe('USD.JPY');
    expect(parseSymbol('EUR/GBP')).toBe('EUR.GBP');
    for (const major of ['USDCHF', 'AUDUSD', 'USDCAD', 'NZDUSD']) {
      expect(detectInstrumentType(parseSymbol(major))).toBe('CASH');
    }
  });

  it('leaves six-letter names that are not two currencies alone', () => {
    expect(parseSymbol('ABCDEF')).toBe('ABCDEF');
    expect(parseSymbol('USDUSD')).toBe('USDUSD');
    expect(() => parseSymbol('ABC/DEF')).toThrow(ValidationError);
  });

  it('says that crypto is not served, in every usual spelling', () => {
    for (const value of ['BTCUSD', 'btc-usd', 'ETH/USD', 'ETH.USDT', 'SOLUSD']) {
      const error = symbolErrorOf(value);
      expect(error.details).toMatchObject({ field: 'symbol', reason: 'crypto' });
      expect(error.message).toContain('not crypto');
    }
    // A crypto ticker alone can be a stock or an ETF (BTC is one): only pairs are refused.
    expect(parseSymbol('BTC')).toBe('BTC');
  });
});

describe('instrument types', () => {
  it('detects forex pairs in EUR.USD form only', () => {
    expect(isForexSymbol('EUR.USD')).toBe(true);
    expect(isForexSymbol('BRK.B')).toBe(false);
    expect(isForexSymbol('EURUSD')).toBe(false);
    expect(detectInstrumentType('GBP.JPY')).toBe('CASH');
    expect(detectInstrumentType('AAPL')).toBe('STK');
    expect(splitForexPair('EUR.USD')).toEqual({ base: 'EUR', quote: 'USD' });
    expect(splitForexPair('AAPL')).toBeUndefined();
  });

  it('parses instrument types case-insensitively and rejects others', () => {
    expect(parseInstrumentType('fut')).toBe('FUT');
    expect(() => parseInstrumentType('OPT')).toThrow(ValidationError);
    try {
      parseInstrumentType('OPT');
    } catch (error) {
      expect((error as ValidationError).details.field).toBe('instrumentType');
    }
  });
});
