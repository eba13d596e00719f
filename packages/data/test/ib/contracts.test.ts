import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import {
  candidateTypes,
  lookupContract,
  normalizeSymbol,
  parseInstrumentType,
  pickFrontFuture,
  toContractInfo,
} from '../../src/ib/contracts';
import type { IbContractDetails } from '../../src/ib/ib-api-port';

describe('contracts', () => {
  it('builds forex as CASH on IDEALPRO, stocks on SMART/USD, futures on CME', () => {
    expect(lookupContract('EUR.USD', 'CASH')).toEqual({
      symbol: 'EUR',
      secType: 'CASH',
      currency: 'USD',
      exchange: 'IDEALPRO',
    });
    expect(lookupContract('AAPL', 'STK')).toEqual({
      symbol: 'AAPL',
      secType: 'STK',
      currency: 'USD',
      exchange: 'SMART',
    });
    expect(lookupContract('ES', 'FUT')).toMatchObject({ symbol: 'ES', secType: 'FUT', exchange: 'CME' });
    expect(lookupContract('ES', 'FUT', 'GLOBEX').exchange).toBe('GLOBEX');
  });

  it('refuses a CASH contract for something that is not a currency pair', () => {
    expect(() => lookupContract('AAPL', 'CASH')).toThrow(ValidationError);
  });

  it('tries CASH, STK, FUT when the type is unknown, skipping CASH for non-pairs', () => {
    expect(candidateTypes('EUR.USD')).toEqual(['CASH', 'STK', 'FUT']);
    expect(candidateTypes('AAPL')).toEqual(['STK', 'FUT']);
    expect(candidateTypes('AAPL', 'STK')).toEqual(['STK']);
  });

  it('reads instrument types in IB and everyday names', () => {
    expect(parseInstrumentType('stock')).toBe('STK');
    expect(parseInstrumentType('Forex')).toBe('CASH');
    expect(parseInstrumentType('futures')).toBe('FUT');
    expect(parseInstrumentType('FUT')).toBe('FUT');
    expect(() => parseInstrumentType('bond')).toThrow(ValidationError);
  });

  it('normalises symbols and rejects path-like or empty ones', () => {
    expect(normalizeSymbol(' aapl ')).toBe('AAPL');
    expect(normalizeSymbol('eur.usd')).toBe('EUR.USD');
    for (const bad of ['', '../etc', 'A\\B', 'A;B', 42])
      expect(() => normalizeSymbol(bad)).toThrow(ValidationError);
  });

  it('picks the front future: the first expiry on or after today', () => {
    const month = (ltd: string, conId: number): IbContractDetails => ({
      contract: { symbol: 'ES', secType: 'FUT', lastTradeDateOrContractMonth: ltd, conId },
    });
    const details = [month('20240920', 3), month('20240315', 1), month('20240621', 2)];
    expect(pickFrontFuture(details, new Date('2024-03-10T00:00:00Z'))?.contract.conId).toBe(1);
    expect(pickFrontFuture(details, new Date('2024-03-15T12:00:00Z'))?.contract.conId).toBe(1);
    expect(pickFrontFuture(details, new Date('2024-03-16T00:00:00Z'))?.contract.conId).toBe(2);
    expect(pickFrontFuture(details, new Date('2025-01-01T00:00:00Z'))?.contract.conId).toBe(3);
    expect(pickFrontFuture([], new Date())).toBeUndefined();
    expect(pickFrontFuture(details)?.contract.conId).toBe(1);
  });

  it('keeps what later requests need from contract details', () => {
    const info = toContractInfo('ES', 'FUT', {
      contract: {
        symbol: 'ES',
        secType: 'FUT',
        conId: 42,
        exchange: 'CME',
        currency: 'USD',
        lastTradeDateOrContractMonth: '20240315',
        localSymbol: 'ESH4',
        multiplier: 50,
      },
      longName: 'E-mini S&P 500',
      timeZoneId: 'US/Central',
      tradingHours: '20240301:1700-20240302:1600',
    });
    expect(info).toMatchObject({
      symbol: 'ES',
      instrumentType: 'FUT',
      conId: 42,
      exchange: 'CME',
      description: 'E-mini S&P 500',
      lastTradeDateOrContractMonth: '20240315',
      contract: { conId: 42, exchange: 'CME', lastTradeDateOrContractMonth: '20240315', secType: 'FUT' },
    });
    const stock = toContractInfo('AAPL', 'STK', {
      contract: {
        symbol: 'AAPL',
        secType: 'STK',
        conId: 265598,
        exchange: 'NASDAQ',
        primaryExch: 'NASDAQ',
        currency: 'USD',
      },
    });
    // Stocks are always routed through SMART, with the primary exchange to disambiguate.
    expect(stock.contract).toEqual({
      conId: 265598,
      symbol: 'AAPL',
      secType: 'STK',
      exchange: 'SMART',
      primaryExch: 'NASDAQ',
      currency: 'USD',
    });
  });
});
