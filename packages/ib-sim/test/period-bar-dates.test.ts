/**
 * Weekly and monthly bars dated as a real gateway dates them: by the last trading day they hold,
 * with the partial first week or month included. Checked through both client APIs.
 */
import { BarSizeSetting, WhatToShow } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientBar } from './helpers/ib-clients';
import { AAPL, fetchBars, SPY, TestRig } from './helpers/ib-clients';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const AFTER_2026_JUNE = new Date('2026-07-06T20:30:00Z');

function aggregate(bars: readonly ClientBar[]): [number, number, number, number, number] {
  return [
    bars[0]?.open ?? NaN,
    Math.max(...bars.map((b) => b.high)),
    Math.min(...bars.map((b) => b.low)),
    bars.at(-1)?.close ?? NaN,
    bars.reduce((sum, b) => sum + b.volume, 0),
  ];
}
const ohlcv = (bar: ClientBar | undefined): number[] =>
  bar ? [bar.open, bar.high, bar.low, bar.close, bar.volume] : [];

describe('weekly and monthly bar dates', () => {
  it("answers the real gateway's SPY weekly request with its 5 bars, the last dated 20230901", async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const request = { end: '20230904-20:00:00', duration: '1 M', useRth: false, formatDate: 2 };
    const weeks = await fetchBars(client, 1, SPY, { ...request, barSize: '1 week' });
    expect(weeks.map((w) => w.time)).toEqual(['20230804', '20230811', '20230818', '20230825', '20230901']);
    // The partial first week is the one session the range touches (Friday 4 August), whole.
    const days = await fetchBars(client, 2, SPY, {
      end: '20230904-20:00:00',
      duration: '23 D',
      barSize: '1 day',
      useRth: false,
    });
    expect(ohlcv(weeks[0])).toEqual(aggregate(days.filter((d) => d.time === '20230804')));
    expect(ohlcv(weeks[4])).toEqual(aggregate(days.filter((d) => d.time >= '20230828')));
  });

  it('dates the week before Juneteenth 2026 by its Thursday, the next by its Friday (IBApiNext)', async () => {
    const sim = await rig.simulator({ now: () => AFTER_2026_JUNE });
    const { api } = rig.connectNext(sim, 1);
    const weeks = await api.getHistoricalData(
      AAPL,
      '20260627-00:00:00',
      '3 W',
      BarSizeSetting.WEEKS_ONE,
      WhatToShow.TRADES,
      1,
      1,
    );
    expect(weeks.map((w) => w.time)).toEqual(['20260612', '20260618', '20260626']);
  });

  it('dates monthly bars by the last trading day of the month, holidays and weekends skipped', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const months = await fetchBars(client, 1, AAPL, {
      end: '20231231-00:00:00',
      duration: '1 Y',
      barSize: '1 month',
    });
    // 2023: March 31 is a Friday, June 30 a Friday, September 30 a Saturday, December 29 a Friday
    // (the 25th is Christmas; the 30th and 31st are a weekend). January 2023 is partial (from the 3rd,
    // the first session after December 31st 2022), dated by its last trading day all the same.
    expect(months.map((m) => m.time)).toEqual([
      '20230131',
      '20230228',
      '20230331',
      '20230428',
      '20230531',
      '20230630',
      '20230731',
      '20230831',
      '20230929',
      '20231031',
      '20231130',
      '20231229',
    ]);
    const days = await fetchBars(client, 2, AAPL, {
      end: '20231001-00:00:00',
      duration: '1 M',
      barSize: '1 day',
    });
    expect(ohlcv(months[8])).toEqual(aggregate(days.filter((d) => d.time >= '20230901')));
  });

  it('dates the week in progress by its latest trading day (IBApiNext)', async () => {
    // Wednesday 2024-03-13 after the close.
    const sim = await rig.simulator({ now: () => new Date('2024-03-13T21:00:00Z') });
    const { api } = rig.connectNext(sim, 1);
    const weeks = await api.getHistoricalData(
      AAPL,
      '',
      '2 W',
      BarSizeSetting.WEEKS_ONE,
      WhatToShow.TRADES,
      1,
      1,
    );
    expect(weeks.at(-1)?.time).toBe('20240313');
  });
});
