import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, resolveSettings, settingsJson } from '../src/engine/backtest-settings';

describe('backtest settings', () => {
  it("defaults to Python KTRDR's, fractional units for forex", () => {
    expect(resolveSettings()).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toMatchObject({
      initialCapital: 100_000,
      positionFraction: 0.25,
      commission: 0.001,
      slippage: 0.0005,
      confidenceThreshold: 0.5,
      minSignalSeparationMs: 4 * 3_600_000,
      units: 'whole',
    });
    expect(resolveSettings({}, {}, { forex: true }).units).toBe('fractional');
    expect(resolveSettings({ units: 'whole' }, {}, { forex: true }).units).toBe('whole');
  });

  it("takes the strategy's decisions, and the request over them", () => {
    const decisions = { confidence_threshold: 0.7, min_signal_separation_hours: 2 };
    expect(resolveSettings({}, decisions)).toMatchObject({
      confidenceThreshold: 0.7,
      minSignalSeparationMs: 7_200_000,
    });
    expect(resolveSettings({ confidence_threshold: 0.6, min_signal_separation: 0 }, decisions)).toMatchObject(
      {
        confidenceThreshold: 0.6,
        minSignalSeparationMs: 0,
      },
    );
    expect(settingsJson(resolveSettings({}, decisions))).toMatchObject({
      confidence_threshold: 0.7,
      min_signal_separation: 2,
    });
  });

  it('refuses what makes no sense, naming the field', () => {
    for (const [input, field] of [
      [{ capital: 0 }, 'capital'],
      [{ position_fraction: 1.5 }, 'position_fraction'],
      [{ commission: -0.001 }, 'commission'],
      [{ slippage: Number.NaN }, 'slippage'],
      [{ confidence_threshold: 2 }, 'confidence_threshold'],
      [{ min_signal_separation: -1 }, 'min_signal_separation'],
    ] as const) {
      expect(() => resolveSettings(input)).toThrow(ValidationError);
      try {
        resolveSettings(input);
      } catch (error) {
        expect((error as ValidationError).details['field']).toBe(field);
      }
    }
  });
});
