import { numberParam } from './param-values';
import { periodSpec } from './param-specs';
import type { IndicatorDefinition } from './types';

/**
 * Money Flow Index, the volume-weighted RSI: each bar's money flow (typical price x volume) counts as
 * positive when its typical price rose from the bar before, negative when it fell, and neither when
 * unchanged (Python KTRDR and TA-Lib; technicalindicators counts it as negative). MFI = 100 - 100 /
 * (1 + positive / negative) over the last `period` flows, so the first value is at index `period`.
 * No negative flow gives 100 (Python); no flow at all (no volume) gives 50, where Python gave 100.
 */
export function mfi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period: number,
): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  const typical = new Float64Array(n);
  for (let i = 0; i < n; i++) typical[i] = (high[i]! + low[i]! + close[i]!) / 3;
  // Summed per window rather than as running totals, so a window without negative flow reads exactly 0.
  for (let i = period; i < n; i++) {
    let positive = 0;
    let negative = 0;
    for (let j = i - period + 1; j <= i; j++) {
      const flow = typical[j]! * volume[j]!;
      if (typical[j]! > typical[j - 1]!) positive += flow;
      else if (typical[j]! < typical[j - 1]!) negative += flow;
    }
    if (negative === 0) out[i] = positive === 0 ? 50 : 100;
    else out[i] = 100 - 100 / (1 + positive / negative);
  }
  return out;
}

/** Registry entry for {@link mfi}. */
export const MFI_DEFINITION: IndicatorDefinition = {
  name: 'MFI',
  aliases: ['money_flow_index'],
  description: 'Money flow index (0-100)',
  params: [periodSpec(14)],
  outputs: ['value'],
  fuzzyInput: 'value',
  compute: (bars, params) => ({
    value: mfi(bars.high, bars.low, bars.close, bars.volume, numberParam(params, 'period')),
  }),
};
