/** Latency samples of one mode in one run. */
export interface Sample {
  callsPerSecond: number;
  p50Us: number;
  p99Us: number;
  /** This process's CPU time per call (user + system), steadier than latency on a loaded machine. */
  cpuUsPerCall: number;
}

function percentile(sorted: Float64Array, p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

/** Runs `call` `warmup` times unmeasured, then `calls` times sequentially, timing each. */
export async function measure(call: () => Promise<unknown>, calls: number, warmup: number): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await call();
  const latencies = new Float64Array(calls);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    await call();
    latencies[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  latencies.sort();
  return {
    callsPerSecond: calls / totalSeconds,
    p50Us: percentile(latencies, 50),
    p99Us: percentile(latencies, 99),
    cpuUsPerCall: (user + system) / calls,
  };
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
