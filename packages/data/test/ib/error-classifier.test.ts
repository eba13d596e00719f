import {
  CancelledError,
  DataUnavailableError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  ServiceConnectionError,
  UnknownSymbolError,
  ValidationError,
} from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { classifyIbError, type IbErrorInput } from '../../src/ib/error-classifier';

const HMDS = 'Historical Market Data Service error message:';
const base = { reqId: 7, endpoint: '127.0.0.1:4002', request: 'historical bars AAPL STK 1 min' };
const classify = (code: number, message: string, extra: Partial<IbErrorInput> = {}) =>
  classifyIbError({ ...base, code, message, ...extra });

describe('classifyIbError', () => {
  it('maps a 162 pacing violation to RateLimitedError with a retry-after', () => {
    const verdict = classify(162, `${HMDS}Historical data request pacing violation`, {
      pacingRetryAfterMs: 150,
    });
    expect(verdict).toMatchObject({ scope: 'request', kind: 'pacing' });
    const error = verdict.scope === 'request' ? verdict.error : undefined;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(150);
    expect(error?.details).toMatchObject({ ibCode: 162, reqId: 7 });
  });

  it('defaults the pacing retry-after to 15 s', () => {
    const verdict = classify(162, `${HMDS}Historical data request pacing violation`);
    expect(verdict.scope === 'request' && (verdict.error as RateLimitedError).retryAfterMs).toBe(15_000);
  });

  it.each([
    [162, `${HMDS}HMDS query returned no data: AAPL@SMART Trades`, DataUnavailableError, 'no-data'],
    [162, `${HMDS}No market data permissions for NYSE STK`, DataUnavailableError, 'no-data'],
    [162, `${HMDS}API historical data query cancelled: 28`, CancelledError, 'cancelled'],
    [162, `${HMDS}Time length exceed max.`, ValidationError, 'invalid-request'],
    [
      321,
      "Error validating request.-'bK' : cause - Historical data bar size setting is invalid",
      ValidationError,
      'invalid-request',
    ],
    [200, 'No security definition has been found for the request', UnknownSymbolError, 'unknown-symbol'],
    [366, 'No historical data query found for ticker id:7', NotFoundError, 'query-not-found'],
    [420, 'Invalid Real-time Query:Historical data request pacing violation', RateLimitedError, 'pacing'],
    [10197, 'No market data during competing live session', DataUnavailableError, 'no-data'],
    [9999, 'Something new', InternalError, 'other'],
  ] as const)('maps %i "%s" to a request error', (code, message, errorClass, kind) => {
    const verdict = classify(code, message);
    expect(verdict.scope).toBe('request');
    expect(verdict.kind).toBe(kind);
    expect(verdict.scope === 'request' && verdict.error).toBeInstanceOf(errorClass);
  });

  it('names the field at fault in validation errors', () => {
    const tooLong = classify(162, `${HMDS}Time length exceed max.`);
    expect(tooLong.scope === 'request' && tooLong.error.details['field']).toBe('duration');
    const barSize = classify(321, 'Error validating request: Historical data bar size setting is invalid');
    expect(barSize.scope === 'request' && barSize.error.details['field']).toBe('barSize');
  });

  it('names the request and the symbol field for 200', () => {
    const verdict = classify(200, 'No security definition has been found for the request');
    const error = verdict.scope === 'request' ? verdict.error : undefined;
    expect(error?.message).toContain('historical bars AAPL');
    expect(error?.details['field']).toBe('symbol');
  });

  it.each([
    [1100, 'Connectivity between IB and Trader Workstation has been lost.'],
    [502, "Couldn't connect to TWS. Confirm that API is enabled"],
    [504, 'Not connected'],
  ])('maps %i to a ServiceConnectionError naming host:port and what to check', (code, message) => {
    const verdict = classify(code, message, { reqId: -1 });
    expect(verdict.scope).toBe('connection');
    const error = verdict.scope === 'connection' ? verdict.error : undefined;
    expect(error).toBeInstanceOf(ServiceConnectionError);
    expect(error?.message).toContain('127.0.0.1:4002');
    expect(error?.message).toMatch(/IB Gateway or TWS is running/);
    expect(error?.message).toMatch(/API is enabled/);
    expect(error?.message).toMatch(/port/);
  });

  it.each([
    [2104, 'Market data farm connection is OK:usfarm'],
    [2106, 'HMDS data farm connection is OK:ushmds'],
    [2158, 'Sec-def data farm connection is OK:secdefnj'],
    [2174, 'Warning: You submitted request with date-time attributes without explicit time zone.'],
    [399, 'Order Message: Warning: your order will not be placed'],
    [492, 'You must subscribe for additional permissions'],
    [10090, 'Part of requested market data is not subscribed.'],
    [10167, 'Requested market data is not subscribed. Displaying delayed market data.'],
    [165, 'Historical Market Data Service query message:HMDS server connection was successful.'],
    [777, 'Warning: something harmless'],
  ])('treats %i as non-fatal', (code, message) => {
    expect(classify(code, message).scope).toBe('info');
  });

  it('recognises the client-id conflict and restored connectivity', () => {
    expect(classify(326, 'Unable to connect as the client id is already in use.', { reqId: -1 })).toEqual({
      scope: 'info',
      kind: 'client-id-conflict',
    });
    expect(classify(1101, 'Connectivity restored - data lost', { reqId: -1 }).kind).toBe(
      'connectivity-restored',
    );
    expect(classify(1102, 'Connectivity restored - data maintained', { reqId: -1 }).kind).toBe(
      'connectivity-restored',
    );
  });

  it('treats an unknown connection-level message as info, not as a failure', () => {
    expect(classify(9999, 'Something about the session', { reqId: -1 }).scope).toBe('info');
  });

  it('flags decoding errors of @stoqey/ib (505) for a loud log', () => {
    expect(
      classify(505, 'Decoding error on HISTORICAL_DATA: unprocessed data left on queue', { reqId: -1 }),
    ).toEqual({
      scope: 'info',
      kind: 'protocol',
    });
  });
});
