import { IB_HISTORICAL_PACING_LIMITS } from '../../src/ib/pacing-scheduler';

/** One send as a test records it. */
export interface SendRecord {
  time: number;
  bucket: string;
  identity: string;
  weight: number;
}

/**
 * An independent check of IB's historical pacing rules over a log of sends (the way a gateway
 * would judge them, at `timeScale`): returns the violations found.
 */
export function pacingViolations(sends: readonly SendRecord[], timeScale = 1): string[] {
  const limits = IB_HISTORICAL_PACING_LIMITS;
  const scaled = (ms: number): number => ms / timeScale;
  const problems: string[] = [];
  sends.forEach((send, i) => {
    const before = sends.slice(0, i);
    const identical = before.find(
      (o) => o.identity === send.identity && send.time - o.time < scaled(limits.identicalWindowMs),
    );
    if (identical) problems.push(`#${i} identical to a send ${send.time - identical.time} ms earlier`);
    const bucket = before.filter(
      (o) => o.bucket === send.bucket && send.time - o.time < scaled(limits.bucketWindowMs),
    );
    if (bucket.length + 1 > limits.bucketMaxRequests)
      problems.push(`#${i} is number ${bucket.length + 1} in its bucket's 2 s`);
    const weight = before
      .filter((o) => send.time - o.time < scaled(limits.globalWindowMs))
      .reduce((sum, o) => sum + o.weight, send.weight);
    if (weight > limits.globalMaxWeight) problems.push(`#${i} brings the 10-minute weight to ${weight}`);
  });
  return problems;
}
