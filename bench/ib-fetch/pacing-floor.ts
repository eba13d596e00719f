import { IB_HISTORICAL_PACING_LIMITS } from '../../packages/data/src/ib/index';

/**
 * Earliest completion of `n` distinct requests for one contract under IB's hard rules, sent
 * greedily: request k goes when the 5th-previous has left the 2 s window, the 60th-previous the
 * 10-minute window, and the `maxOpen`-th previous has been answered (IB allows 50 open;
 * one-at-a-time is 1). Plus its own latency.
 */
export function pacingFloorMs(
  n: number,
  timeScale: number,
  latencyMs: number,
  maxOpen: number = IB_HISTORICAL_PACING_LIMITS.maxOpenRequests,
): number {
  const sends = pacingSendTimes(n, timeScale, latencyMs, maxOpen);
  return (sends[n - 1] ?? 0) + latencyMs;
}

/** The send times of {@link pacingFloorMs}'s greedy schedule, ms from the first. */
export function pacingSendTimes(
  n: number,
  timeScale: number,
  latencyMs: number,
  maxOpen: number = IB_HISTORICAL_PACING_LIMITS.maxOpenRequests,
): number[] {
  const limits = IB_HISTORICAL_PACING_LIMITS;
  const burst = limits.bucketWindowMs / timeScale;
  const window = limits.globalWindowMs / timeScale;
  const sends: number[] = [];
  for (let k = 0; k < n; k++) {
    let at = k > 0 ? (sends[k - 1] as number) : 0;
    if (k >= limits.bucketMaxRequests)
      at = Math.max(at, (sends[k - limits.bucketMaxRequests] as number) + burst);
    if (k >= limits.globalMaxWeight)
      at = Math.max(at, (sends[k - limits.globalMaxWeight] as number) + window);
    if (k >= maxOpen) at = Math.max(at, (sends[k - maxOpen] as number) + latencyMs);
    sends.push(at);
  }
  return sends;
}

/**
 * {@link pacingFloorMs} when the gateway also takes `serviceMs[k]` of work to build reply k after
 * the latency, one reply at a time (the simulator is one process): the rules' schedule, then a
 * single queue of reply building. What the pacing cannot do better than on this gateway.
 */
export function servedFloorMs(serviceMs: readonly number[], latencyMs: number): number {
  const sends = pacingSendTimes(serviceMs.length, 1, latencyMs);
  let free = 0;
  sends.forEach((sent, k) => {
    free = Math.max(sent + latencyMs, free) + (serviceMs[k] ?? 0);
  });
  return free;
}
