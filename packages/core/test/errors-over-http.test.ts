import { describe, expect, it } from 'vitest';
import type { HostServiceError, RateLimitedError } from '@ktrdr/core';
import { ERROR_CODES, HTTP_STATUS_BY_CODE, InternalError, createServiceClient } from '@ktrdr/core';
import { httpTransportTo, startTestServer } from './support/servers';
import { CLASS_BY_CODE, sampleError, testContract } from './support/test-service';

describe('errors through real HTTP', () => {
  it.each(ERROR_CODES)('%s: answers with its status and rebuilds as the same class', async (code) => {
    await using service = await startTestServer();
    const response = await fetch(`${service.url}/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(response.status).toBe(HTTP_STATUS_BY_CODE[code]);
    const body = (await response.json()) as { success: boolean; error: unknown };
    expect(body).toEqual({ success: false, error: sampleError(code).toJSON() });

    await using transport = httpTransportTo(service.url);
    const error = await createServiceClient(testContract, transport)
      .fail({ code })
      .catch((e: unknown) => e);
    const expected = sampleError(code);
    expect(error).toBeInstanceOf(CLASS_BY_CODE[code]);
    expect((error as object).constructor).toBe(CLASS_BY_CODE[code]);
    expect(error).toMatchObject({ code, message: expected.message, details: expected.details });
  });

  it('carries retryAfterMs both in the body and as a Retry-After header', async () => {
    await using service = await startTestServer();
    const response = await fetch(`${service.url}/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'rate_limited' }),
    });
    expect(response.headers.get('retry-after')).toBe('2');
    await using transport = httpTransportTo(service.url);
    const error = await createServiceClient(testContract, transport)
      .fail({ code: 'rate_limited' })
      .catch((e: unknown) => e);
    expect((error as RateLimitedError).retryAfterMs).toBe(2000);
  });

  it('carries the host-service status across', async () => {
    await using service = await startTestServer();
    await using transport = httpTransportTo(service.url);
    const error = await createServiceClient(testContract, transport)
      .fail({ code: 'host_service' })
      .catch((e: unknown) => e);
    expect((error as HostServiceError).status).toBe(502);
  });

  it('sends an unexpected handler failure as an internal error with its cause, never a stack', async () => {
    await using service = await startTestServer();
    const response = await fetch(`${service.url}/crash`, { method: 'POST' });
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(text).not.toContain('    at ');
    await using transport = httpTransportTo(service.url);
    const error = await transport.call({ method: 'POST', path: '/crash', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as InternalError).message).toBe('test service crash failed: boom');
    expect(((error as InternalError).cause as Error).message).toBe('boom');
  });
});
