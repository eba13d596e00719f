/**
 * The api-load benchmark's load generator, in its own process (as wrk or a real client would be):
 * autocannon, driven over IPC. Each message `{ url, connections, seconds }` runs one phase of
 * `connections` keep-alive clients sending requests back to back, and is answered with its figures.
 */
import { createRequire } from 'node:module';

/** The part of autocannon's API and result used here (the package ships no types). */
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
  headers: Record<string, string>;
}) => Promise<{
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** What one phase measured. */
export interface PhaseResult {
  requests: number;
  /** Answers other than 2xx, plus socket errors and timeouts. */
  errors: number;
  /** Requests per second over the phase. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
}

/** One phase to run. */
export interface PhaseRequest {
  url: string;
  connections: number;
  seconds: number;
}

process.on('message', (message: PhaseRequest) => {
  void autocannon({
    url: message.url,
    connections: message.connections,
    duration: message.seconds,
    pipelining: 1,
    headers: { accept: 'application/json' },
  }).then((result) => {
    const reply: PhaseResult = {
      requests: result.requests.total,
      errors: result.non2xx + result.errors + result.timeouts,
      throughput: result.requests.total / (result.duration || message.seconds),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
    };
    process.send?.(reply);
  });
});
process.send?.({ ready: true });
