import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** File name of the sample strategy shipped with the package. */
export const SAMPLE_STRATEGY_FILE = 'neuro-fuzzy-sample.yaml';

/**
 * The `strategies/` folder shipped with `@ktrdr/training` (found from this module's location, which
 * differs between the sources and the build).
 */
export function bundledStrategiesDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.join(here, '..', 'strategies'), path.join(here, '..', '..', 'strategies')]) {
    if (existsSync(path.join(candidate, SAMPLE_STRATEGY_FILE))) return candidate;
  }
  return path.join(here, '..', 'strategies');
}

/** Path of the bundled sample strategy (RSI, MACD, SMA, Stochastic... into an MLP 64-32-3). */
export function sampleStrategyPath(): string {
  return path.join(bundledStrategiesDir(), SAMPLE_STRATEGY_FILE);
}
