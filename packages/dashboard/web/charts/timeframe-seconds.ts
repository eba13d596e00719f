const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86_400, w: 604_800, M: 2_592_000 };

/** A timeframe such as `1h` or `1M` in seconds (a month counts 30 days); undefined when unknown. */
export function timeframeSeconds(timeframe: string): number | undefined {
  const match = /^(\d+)([mhdwM])$/.exec(timeframe);
  if (match === null) return undefined;
  return Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
}
