/** A series a Data page link names: `#/data/AAPL/1h?bars=10000`. */
export interface DataLink {
  symbol: string;
  timeframe: string;
  /** How many of the last bars to draw. */
  bars?: number;
}

/** The series a location hash links to, if it names one. */
export function dataLinkOf(hash: string): DataLink | undefined {
  const match = /^#\/data\/([^/?]+)\/([^/?]+)(?:\?bars=(\d+))?$/.exec(hash);
  if (match === null) return undefined;
  const bars = match[3] === undefined ? undefined : Number(match[3]);
  return {
    symbol: decodeURIComponent(match[1] as string),
    timeframe: decodeURIComponent(match[2] as string),
    ...(bars !== undefined && bars > 0 ? { bars } : {}),
  };
}
