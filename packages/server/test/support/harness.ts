import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';

type Cleanup = () => Promise<unknown> | unknown;

/** Things to close after each test, closed in reverse order. */
export class Resources {
  private readonly cleanups: Cleanup[] = [];

  add<T>(value: T, cleanup: (value: T) => Promise<unknown> | unknown): T {
    this.cleanups.push(() => cleanup(value));
    return value;
  }

  async closeAll(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup();
  }

  /** A fresh temp folder, removed afterwards. */
  async tempDir(prefix = 'ktrdr-server-'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    return this.add(dir, (path) => rm(path, { recursive: true, force: true }));
  }

  /** Serves an Express app on 127.0.0.1 and an ephemeral port; returns its origin. */
  async listen(app: Express): Promise<{ url: string; server: Server }> {
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.add(server, (s) => {
      s.closeAllConnections();
      return new Promise((resolve) => s.close(() => resolve(undefined)));
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, server };
  }
}

/** Fetches and decodes a JSON answer, keeping the status and raw text (to look for stack traces). */
export async function fetchJson(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Record<string, unknown>; text: string; headers: Headers }> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text };
  }
  return { status: response.status, body, text, headers: response.headers };
}

/** POSTs a JSON body. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetchJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Polls `check` until it returns a value other than undefined (bounded). */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The error object of a `{ success: false, error }` answer. */
export function errorOf(
  body: Record<string, unknown>,
): Record<string, unknown> & { details?: Record<string, unknown> } {
  expectFailure(body);
  return body['error'] as Record<string, unknown> & { details?: Record<string, unknown> };
}

function expectFailure(body: Record<string, unknown>): void {
  if (body['success'] !== false || typeof body['error'] !== 'object') {
    throw new Error(`expected { success: false, error }, got ${JSON.stringify(body)}`);
  }
}

/** True when a response text carries something that looks like a stack trace. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at\s|\bat .*\.(ts|js):\d+/.test(text);
}
