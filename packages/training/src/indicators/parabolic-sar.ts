import { numberParam } from './param-values';
import { numberSpec } from './param-specs';
import type { IndicatorDefinition } from './types';

/**
 * Wilder's Parabolic SAR, with technicalindicators' rules: the trade starts long at bar 0 (SAR at its
 * low, extreme point at its high); each bar the SAR moves `af * (EP - SAR)` toward the extreme point,
 * never past the lows (highs when short) of the two previous bars; a new extreme raises `af` by
 * `stepAf` up to `maxAf`; a bar that crosses the SAR reverses the trade, the SAR jumping to the extreme
 * point and `af` back to `initialAf`. NaN at bar 0, which has no SAR of its own.
 *
 * Python KTRDR picked the first direction from close[1] vs close[0] and checked the reversal before
 * updating the extreme point, so its first swings can differ from these.
 */
export function parabolicSar(
  high: Float64Array,
  low: Float64Array,
  initialAf: number,
  stepAf: number,
  maxAf: number,
): Float64Array {
  const n = high.length;
  const out = new Float64Array(n).fill(NaN);
  if (n === 0) return out;
  let long = true;
  let af = initialAf;
  let sar = low[0]!;
  let extreme = high[0]!;
  for (let i = 1; i < n; i++) {
    // The two bars before this one bound the SAR (bar 0 stands in for the missing one at bar 1).
    const before = i - 1;
    const twoBefore = Math.max(0, i - 2);
    sar += af * (extreme - sar);
    if (long) {
      sar = Math.min(sar, low[before]!, low[twoBefore]!);
      if (high[i]! > extreme) {
        extreme = high[i]!;
        af = Math.min(af + stepAf, maxAf);
      }
    } else {
      sar = Math.max(sar, high[before]!, high[twoBefore]!);
      if (low[i]! < extreme) {
        extreme = low[i]!;
        af = Math.min(af + stepAf, maxAf);
      }
    }
    if ((long && low[i]! < sar) || (!long && high[i]! > sar)) {
      long = !long;
      af = initialAf;
      sar = extreme;
      extreme = long ? high[i]! : low[i]!;
    }
    out[i] = sar;
  }
  return out;
}

/** Registry entry for {@link parabolicSar}: Python KTRDR's `ParabolicSAR`. */
export const PARABOLIC_SAR_DEFINITION: IndicatorDefinition = {
  name: 'ParabolicSAR',
  aliases: ['psar', 'sar'],
  description: 'Parabolic stop and reverse (price units)',
  params: [
    numberSpec('initial_af', 0.02, 'acceleration factor at the start of each trade', 1),
    numberSpec('step_af', 0.02, 'acceleration factor increase on each new extreme', 1),
    numberSpec('max_af', 0.2, 'largest acceleration factor', 1),
  ],
  outputs: ['value'],
  fuzzyInput: 'value',
  checkParams: (params) =>
    numberParam(params, 'initial_af') <= numberParam(params, 'max_af')
      ? undefined
      : `initial_af must not exceed max_af (got ${String(params['initial_af'])} and ${String(params['max_af'])})`,
  compute: (bars, params) => ({
    value: parabolicSar(
      bars.high,
      bars.low,
      numberParam(params, 'initial_af'),
      numberParam(params, 'step_af'),
      numberParam(params, 'max_af'),
    ),
  }),
};
