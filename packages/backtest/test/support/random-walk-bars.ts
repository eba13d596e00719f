import type { OhlcvColumns } from '@ktrdr/training';
import { randomWalkBars as walk, seededRandom } from '../../../training/test/support/random-walk-bars';

export { seededRandom };

/** Bars of a geometric random walk with gaps at the open, `stepMs` apart from 2024-01-01 (default one hour). */
export function randomWalkBars(
  options: { bars?: number; seed?: number; stepMs?: number; volatility?: number } = {},
): OhlcvColumns {
  return walk({ ...options, openGap: 0.2 });
}
