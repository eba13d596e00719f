import { Agent, request } from 'node:http';

/** What one load phase measured. */
export interface LoadResult {
  requests: number;
  errors: number;
  /** Requests per second over the phase. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  /** First failure seen, to say why errors are not 0. */
  firstError?: string;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function get(agent: Agent, url: URL, accept: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { accept } }, (res) => {
      // Read the whole body: a client that does not read it measures nothing.
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * `clients` concurrent clients, each sending GET `url` back to back over its own keep-alive socket
 * for `seconds` (and at most `maxRequests` in all): throughput, latency percentiles and errors
 * (anything but 200).
 */
export async function runLoad(
  url: string,
  options: { clients: number; seconds: number; maxRequests: number; accept?: string },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const target = new URL(url);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let sent = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline && sent < options.maxRequests) {
      sent++;
      const t0 = performance.now();
      try {
        const status = await get(agent, target, options.accept ?? 'application/json');
        if (status !== 200) {
          errors++;
          firstError ??= `HTTP ${status}`;
        }
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors,
    throughput: latencies.length / elapsed,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    firstError,
  };
}
