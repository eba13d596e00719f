import { readFile } from 'node:fs/promises';
import { sampleStrategyPath } from '@ktrdr/training';

/** The sample strategy without early stopping: it trains until stopped. */
export async function endlessStrategy(): Promise<string> {
  const yaml = await readFile(sampleStrategyPath(), 'utf8');
  const endless = yaml.replace(/early_stopping:\n(\s+)/, 'early_stopping:\n$1enabled: false\n$1');
  if (endless === yaml) throw new Error('the sample strategy has no early_stopping block to turn off');
  return endless;
}
