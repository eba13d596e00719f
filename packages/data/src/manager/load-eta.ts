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
 * Wraps a load's progress reporter so that fetch updates carry `estimated_completion`: the end
 * the data source plans for the remaining fetches (direct IB: the pacing scheduler's plan). Pacing,
 * not the pace so far, decides how long a large load takes: after the first 60 requests IB allows
 * 60 more per 10 minutes, which no extrapolation from the first minute's percentage can know.
 *
 * Each update with step counts asks for a fresh estimate (at most once a second); its answer rides
 * on the next update, so the load's progress events stay one per step. The estimate is a time,
 * not a duration, so it stays right while no segment ends. A failed estimate is simply not shown.
 */
export function withPacingEta(
  report: (progress: OperationProgress) => void,
  options: PacingEtaOptions,
): EtaReporter {
  let askedAt = Number.NEGATIVE_INFINITY;
  let stopped = false;
  let eta: string | undefined;
  return {
    report(progress) {
      report(eta === undefined ? progress : { ...progress, estimated_completion: eta });
      if (stopped || progress.steps_total === undefined) return;
      if (options.now() - askedAt < (options.minIntervalMs ?? 1_000)) return;
      askedAt = options.now();
      const remaining = Math.max(0, progress.steps_total - (progress.steps_completed ?? 0));
      // An estimate that is not known yet (no request answered so far, so no answer time to plan
      // with) is asked again at the next update rather than a second later: a quick load would
      // otherwise end before it ever showed an ETA.
      const askAgain = () => {
        askedAt = Number.NEGATIVE_INFINITY;
      };
      options.estimate(remaining).then((ms) => {
        if (ms === undefined) askAgain();
        else if (!stopped) eta = formatIsoUtc(options.now() + ms);
      }, askAgain);
    },
    stop() {
      stopped = true;
    },
  };
}
