import { describe, expect, it, vi } from 'vitest';
import {
  CancelledError,
  ERROR_CODES,
  HTTP_STATUS_BY_CODE,
  HostServiceError,
  InternalError,
  KtrdrError,
  NotFoundError,
  RateLimitedError,
  ServiceTimeoutError,
  UnknownSymbolError,
  ValidationError,
  codeFromHttpStatus,
  errorFromCode,
  errorFromHttpStatus,
  errorFromJSON,
  isErrorCode,
  isKtrdrError,
  isSerializedKtrdrError,
  toKtrdrError,
} from '@ktrdr/core';
import { CLASS_BY_CODE, sampleError } from './support/test-service';

describe('error classes', () => {
  it.each(ERROR_CODES)('%s: its class carries the code, its name and its HTTP status', (code) => {
    const error = sampleError(code);
    expect(error).toBeInstanceOf(CLASS_BY_CODE[code]);
    expect(error).toBeInstanceOf(KtrdrError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(CLASS_BY_CODE[code].name);
    expect(error.httpStatus).toBe(HTTP_STATUS_BY_CODE[code]);
  });

  it('keeps the class hierarchy: an unknown symbol is a kind of not-found', () => {
    const error = new UnknownSymbolError('No security definition for XYZ');
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).not.toBeInstanceOf(ValidationError);
    expect(new NotFoundError('x')).not.toBeInstanceOf(UnknownSymbolError);
  });

  it('defaults details to an empty object and lets the code be overridden', () => {
    expect(new ValidationError('bad').details).toEqual({});
    expect(new KtrdrError('odd', { code: 'conflict' }).code).toBe('conflict');
    expect(new KtrdrError('plain').code).toBe('internal');
  });

  it('never matches primitives, null or foreign errors', () => {
    expect(isKtrdrError(null)).toBe(false);
    expect(isKtrdrError('ValidationError')).toBe(false);
    expect(isKtrdrError(new Error('x'))).toBe(false);
    expect(isErrorCode('validation')).toBe(true);
    expect(isErrorCode('nope')).toBe(false);
  });
});

describe('JSON form', () => {
  it('omits empty details and causes, and includes the cause chain outermost first', () => {
    expect(new ValidationError('bad').toJSON()).toEqual({
      name: 'ValidationError',
      code: 'validation',
      message: 'bad',
    });
    const root = new Error('socket closed');
    const middle = new Error('read failed', { cause: root });
    const error = new InternalError('load failed', { cause: middle, details: { symbol: 'AAPL' } });
    expect(error.toJSON()).toEqual({
      name: 'InternalError',
      code: 'internal',
      message: 'load failed',
      details: { symbol: 'AAPL' },
      causes: ['read failed', 'socket closed'],
    });
    expect(new InternalError('x', { cause: 'a string' }).toJSON().causes).toEqual(['a string']);
  });

  it('stops the cause chain at five levels, so a cycle cannot hang it', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(new InternalError('x', { cause: a }).toJSON().causes).toEqual(['a', 'b', 'a', 'b', 'a']);
  });

  it('writes retryAfterMs only when known, and always the host-service status', () => {
    expect(new RateLimitedError('slow').toJSON()).not.toHaveProperty('retryAfterMs');
    expect(new RateLimitedError('slow', { retryAfterMs: 1500 }).toJSON().retryAfterMs).toBe(1500);
    expect(new HostServiceError('bad gateway', { status: 502 }).toJSON().status).toBe(502);
  });

  it.each(ERROR_CODES)('%s: rebuilds as the same class through JSON text', (code) => {
    const original = sampleError(code);
    const json: unknown = JSON.parse(JSON.stringify({ error: original }));
    const serialized = (json as { error: unknown }).error;
    expect(isSerializedKtrdrError(serialized)).toBe(true);
    const rebuilt = errorFromJSON(serialized as Parameters<typeof errorFromJSON>[0]);
    expect(rebuilt).toBeInstanceOf(CLASS_BY_CODE[code]);
    expect(rebuilt.constructor).toBe(CLASS_BY_CODE[code]);
    expect(rebuilt).toMatchObject({ code, message: original.message, details: original.details });
    expect(rebuilt.toJSON()).toEqual(original.toJSON());
  });

  it('rebuilds the cause chain as errors', () => {
    const rebuilt = errorFromJSON({
      name: 'InternalError',
      code: 'internal',
      message: 'x',
      causes: ['outer', 'inner'],
    });
    const outer = rebuilt.cause as Error;
    expect(outer.message).toBe('outer');
    expect((outer.cause as Error).message).toBe('inner');
  });

  it('gives a host-service error the response status when the body lacks one', () => {
    expect(
      errorFromJSON({ name: 'HostServiceError', code: 'host_service', message: 'x' }, 504),
    ).toMatchObject({
      status: 504,
    });
    expect(errorFromJSON({ name: 'HostServiceError', code: 'host_service', message: 'x' })).toMatchObject({
      status: 502,
    });
  });

  it('recognises only objects with a known code and a message as serialised errors', () => {
    expect(isSerializedKtrdrError({ code: 'validation', message: 'x' })).toBe(true);
    expect(isSerializedKtrdrError({ code: 'teapot', message: 'x' })).toBe(false);
    expect(isSerializedKtrdrError({ code: 'validation' })).toBe(false);
    expect(isSerializedKtrdrError(null)).toBe(false);
    expect(isSerializedKtrdrError('validation')).toBe(false);
  });
});

describe('HTTP status mapping', () => {
  it('maps each code to its status', () => {
    expect(HTTP_STATUS_BY_CODE).toEqual({
      connection_failed: 503,
      timeout: 504,
      configuration: 500,
      validation: 400,
      unauthorized: 401,
      not_found: 404,
      unknown_symbol: 404,
      conflict: 409,
      payload_too_large: 413,
      cancelled: 499,
      rate_limited: 429,
      data_unavailable: 404,
      host_service: 502,
      internal: 500,
    });
  });

  it.each([
    [400, 'validation'],
    [422, 'validation'],
    [418, 'validation'],
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [404, 'not_found'],
    [408, 'timeout'],
    [504, 'timeout'],
    [409, 'conflict'],
    [413, 'payload_too_large'],
    [429, 'rate_limited'],
    [499, 'cancelled'],
    [500, 'host_service'],
    [502, 'host_service'],
    [503, 'host_service'],
  ] as const)('reads status %i without a ktrdr body as %s', (status, code) => {
    expect(codeFromHttpStatus(status)).toBe(code);
  });

  it('maps back to the same code for every status only one code uses, except a bare 503', () => {
    const counts = new Map<number, number>();
    for (const status of Object.values(HTTP_STATUS_BY_CODE))
      counts.set(status, (counts.get(status) ?? 0) + 1);
    const unique = ERROR_CODES.filter((code) => counts.get(HTTP_STATUS_BY_CODE[code]) === 1);
    // A 503 page without a ktrdr body came from a server that *was* reached: a host-service error.
    expect(codeFromHttpStatus(HTTP_STATUS_BY_CODE.connection_failed)).toBe('host_service');
    const roundTrips = unique.filter((code) => code !== 'connection_failed');
    expect(roundTrips).toHaveLength(8);
    for (const code of roundTrips) expect(codeFromHttpStatus(HTTP_STATUS_BY_CODE[code])).toBe(code);
  });

  it('builds the class of the status, keeping details and the Retry-After wait', () => {
    const notFound = errorFromHttpStatus(404, 'svc answered 404', { details: { url: 'http://x/y' } });
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.details).toEqual({ url: 'http://x/y' });
    const limited = errorFromHttpStatus(429, 'slow down', { retryAfterMs: 2000 });
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(2000);
    const upstream = errorFromHttpStatus(503, 'unavailable');
    expect(upstream).toBeInstanceOf(HostServiceError);
    expect((upstream as HostServiceError).status).toBe(503);
  });
});

describe('toKtrdrError', () => {
  it('passes ktrdr errors through untouched', () => {
    const error = new ValidationError('bad');
    expect(toKtrdrError(error)).toBe(error);
  });

  it('turns aborts into cancellations, unless the abort carries a ktrdr error', () => {
    const abort = new DOMException('aborted', 'AbortError');
    expect(toKtrdrError(abort, 'load')).toBeInstanceOf(CancelledError);
    expect(toKtrdrError(abort, 'load').message).toBe('load: cancelled');
    const deadline = new ServiceTimeoutError('deadline');
    const wrapped = Object.assign(new Error('aborted'), { name: 'AbortError', cause: deadline });
    expect(toKtrdrError(wrapped)).toBe(deadline);
  });

  it('turns timeouts into ServiceTimeoutError and anything else into InternalError with context', () => {
    expect(toKtrdrError(new DOMException('t', 'TimeoutError'), 'fetch')).toBeInstanceOf(ServiceTimeoutError);
    const internal = toKtrdrError(new TypeError('x is undefined'), 'Training failed');
    expect(internal).toBeInstanceOf(InternalError);
    expect(internal.message).toBe('Training failed: x is undefined');
    expect(toKtrdrError('a string')).toMatchObject({
      message: 'Unexpected error: a string',
      code: 'internal',
    });
  });
});

describe('instanceof across copies of the module (ESM and CJS builds in one process)', () => {
  it('recognises an error from a second copy of the module, both ways', async () => {
    vi.resetModules();
    const copy = await import('../src/errors/index');
    expect(copy.ValidationError).not.toBe(ValidationError);
    const theirs = new copy.UnknownSymbolError('from the other copy');
    expect(theirs).toBeInstanceOf(UnknownSymbolError);
    expect(theirs).toBeInstanceOf(NotFoundError);
    expect(theirs).toBeInstanceOf(KtrdrError);
    expect(theirs).not.toBeInstanceOf(ValidationError);
    expect(isKtrdrError(theirs)).toBe(true);
    expect(toKtrdrError(theirs)).toBe(theirs);
    const ours = new RateLimitedError('ours', { retryAfterMs: 5 });
    expect(ours).toBeInstanceOf(copy.RateLimitedError);
    expect(copy.isKtrdrError(ours)).toBe(true);
    expect(copy.errorFromJSON(ours.toJSON())).toBeInstanceOf(RateLimitedError);
  });

  it('recognises any object carrying the lineage brand', () => {
    const branded = { [Symbol.for('ktrdr.error.lineage')]: ['ValidationError', 'KtrdrError'], message: 'x' };
    expect(branded).toBeInstanceOf(ValidationError);
    expect(isKtrdrError(branded)).toBe(true);
    expect(branded).not.toBeInstanceOf(NotFoundError);
    expect({ [Symbol.for('ktrdr.error.lineage')]: 'KtrdrError' }).not.toBeInstanceOf(KtrdrError);
  });
});

describe('errorFromCode', () => {
  it('rebuilds a reported code as the class it names, and an unknown or missing code as internal', () => {
    const cancelled = errorFromCode('cancelled', 'stopped', { sessionId: 's1' });
    expect(cancelled).toBeInstanceOf(CancelledError);
    expect(cancelled).toMatchObject({ message: 'stopped', details: { sessionId: 's1' } });
    expect(errorFromCode('unknown_symbol', 'no such symbol')).toBeInstanceOf(UnknownSymbolError);
    for (const code of ['no_such_code', null, undefined]) {
      expect(errorFromCode(code, 'it broke'), String(code)).toBeInstanceOf(InternalError);
    }
  });
});
