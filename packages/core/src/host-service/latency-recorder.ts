/**
 * Keeps the most recent latencies in a fixed ring so percentiles stay cheap and memory bounded
 * however long a process runs.
 * @internal
 */
export class LatencyRecorder {
  private readonly samples: Float64Array;
  private count = 0;

  constructor(capacity = 2048) {
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.samples[this.count % this.samples.length] = ms;
    this.count++;
  }

  /** Percentile `p` (0-100) of the recorded window, or 0 with no samples. */
  percentile(p: number): number {
    const n = Math.min(this.count, this.samples.length);
    if (n === 0) return 0;
    const sorted = this.samples.slice(0, n).sort();
    const index = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
    return sorted[index] ?? 0;
  }
}
