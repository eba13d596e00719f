import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStrategy, sampleStrategyPath } from '../src/index';

const sample = readFileSync(sampleStrategyPath(), 'utf8');

describe('strategy decisions section', () => {
  it('keeps the confidence threshold and minimum signal separation for backtests', () => {
    const yaml = `${sample}\ndecisions:\n  output_format: classification\n  confidence_threshold: 0.6\n  filters:\n    min_signal_separation: 2\n`;
    expect(parseStrategy(yaml).decisions).toEqual({
      confidence_threshold: 0.6,
      min_signal_separation_hours: 2,
    });
  });

  it('is absent when the file sets neither', () => {
    expect(parseStrategy(sample).decisions).toBeUndefined();
  });

  it('refuses a threshold outside 0..1, located in the file', () => {
    const yaml = `${sample}\ndecisions:\n  confidence_threshold: 1.5\n`;
    expect(() => parseStrategy(yaml, 'mine.yaml')).toThrow(
      /mine\.yaml:\d+:\d+ decisions\.confidence_threshold: must be between 0 and 1/,
    );
  });
});
