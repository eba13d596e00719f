import type { OperationProgress } from '@ktrdr/core';
import { formatIsoUtc } from '../domain/dates';

/** Options of {@link withPacingEta}. */
export interface PacingEtaOptions {
  /** Milliseconds from now until `remaining` fetches are answered, or undefined when unknown. */
  estimate: (remaining: number) => Promise<number | undefined>;
  now: () => number;
  /** Least time between two estimates (each plans the rest of the load). Default 1 000 ms. */
  minIntervalMs?: number;
}

/** A progress reporter that adds the plan's ETA, and the means to stop refreshing it. */
export interface EtaReporter {
  report(progress: OperationProgress): void;
  /** No further estimates are reported (the fetch phase is over). */
  stop(): void;
}

/**
 * Wraps a load's progress reporter so that every fetch update with step counts asks for a fresh
 * estimate of the remaining fetches (the IB pacing scheduler's plan, through the adapter) and
 * reports it as `estimated_completion` when it arrives (at most once a second). Pacing, not the pace so far, decides how
 * long a large load takes: after the first 60 requests IB allows 60 more per 10 minutes, which an
 * extrapolation from the first minute's percentage cannot know. A late answer never overwrites a
 * newer one, and a failed estimate is simply not shown.
 */
export function withPacingEta(
  report: (progress: OperationProgress) => void,
  options: PacingEtaOptions,
): EtaReporter {
  let asked = 0;
  let askedAt = Number.NEGATIVE_INFINITY;
  let stopped = false;
  let last: OperationProgress | undefined;
  let eta: string | undefined;
  return {
    report(progress) {
      last = eta === undefined ? progress : { ...progress, estimated_completion: eta };
      report(last);
      if (stopped || progress.steps_total === undefined) return;
      // The estimate is a time, not a duration: an older one stays right while no segment ends.
      if (options.now() - askedAt < (options.minIntervalMs ?? 1_000)) return;
      askedAt = options.now();
      const remaining = Math.max(0, progress.steps_total - (progress.steps_completed ?? 0));
      const ask = ++asked;
      options.estimate(remaining).then(
        (ms) => {
          if (stopped || ask !== asked || ms === undefined || last === undefined) return;
          eta = formatIsoUtc(options.now() + ms);
          last = { ...last, estimated_completion: eta };
          report(last);
        },
        () => undefined,
      );
    },
    stop() {
      stopped = true;
    },
  };
}
