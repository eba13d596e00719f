/**
 * The synthetic market over the wire: determinism, consistency across bar sizes and whatToShow,
 * sessions, holidays and DST, all observed through the unmodified @stoqey/ib client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient, ClientBar } from './helpers/ib-clients';
import { AAPL, ES_M4, EURUSD, fetchBars, SPY, TestRig } from './helpers/ib-clients';

const rig = new TestRig();
afterEach(() => rig.cleanup());

/** What aggregating `bars` into one bar must give (open, high, low, close, volume, count). */
function aggregate(bars: readonly ClientBar[]): Omit<ClientBar, 'time' | 'wap'> {
  return {
    open: bars[0]?.open ?? NaN,
    high: Math.max(...bars.map((b) => b.high)),
    low: Math.min(...bars.map((b) => b.low)),
    close: bars.at(-1)?.close ?? NaN,
    volume: bars.reduce((sum, b) => sum + b.volume, 0),
    count: bars.reduce((sum, b) => sum + (b.count ?? 0), 0),
  };
}

function ohlcv(bar: ClientBar | undefined): Omit<ClientBar, 'time' | 'wap'> {
  if (!bar) throw new Error('missing bar');
  return {
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    count: bar.count,
  };
}

let nextReqId = 1;
const bars = (
  client: ApiClient,
  contract: typeof AAPL,
  request: Parameters<typeof fetchBars>[3],
): Promise<ClientBar[]> => fetchBars(client, nextReqId++, contract, request);

describe('determinism', () => {
  it('serves identical bars across requests, connections and simulators with the same seed', async () => {
    const a = await rig.simulator({ seed: 7 });
    const b = await rig.simulator({ seed: 7 });
    const c = await rig.simulator({ seed: 8 });
    const request = { end: '20240314 16:00:00 US/Eastern', duration: '3 D', barSize: '5 mins' };
    const fromA = await bars(await rig.connectApi(a, 1), AAPL, request);
    const fromA2 = await bars(await rig.connectApi(a, 2), AAPL, request);
    const fromB = await bars(await rig.connectApi(b, 1), AAPL, request);
    const fromC = await bars(await rig.connectApi(c, 1), AAPL, request);
    expect(fromA).toHaveLength(3 * 78);
    expect(fromA2).toEqual(fromA);
    expect(fromB).toEqual(fromA);
    expect(fromC).not.toEqual(fromA);
  });

  it('generates a day the same way whether requested alone or inside a longer range', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const month = await bars(client, SPY, {
      end: '20240229 17:00:00 US/Eastern',
      duration: '1 M',
      barSize: '1 day',
    });
    const single = await bars(client, SPY, {
      end: '20240213 17:00:00 US/Eastern',
      duration: '1 D',
      barSize: '1 day',
    });
    expect(month.find((bar) => bar.time === '20240213')).toEqual(single[0]);
  });
});

describe('consistency across bar sizes', () => {
  it('makes a day bar exactly the aggregate of that session’s minute bars (RTH and extended)', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    for (const useRth of [true, false]) {
      const request = { end: '20240314 23:00:00 US/Eastern', duration: '1 D', useRth };
      const minutes = await bars(client, AAPL, { ...request, barSize: '1 min' });
      const [day] = await bars(client, AAPL, { ...request, barSize: '1 day' });
      expect(minutes).toHaveLength(useRth ? 390 : 960);
      expect(ohlcv(day)).toEqual(aggregate(minutes));
      expect(day?.time).toBe('20240314');
    }
  });

  it('builds hour bars, 5-second bars and weekly bars from the same underlying bars', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const end = '20240314 16:00:00 US/Eastern';
    const minutes = await bars(client, AAPL, { end, duration: '1 D', barSize: '1 min' });
    const hours = await bars(client, AAPL, { end, duration: '1 D', barSize: '1 hour' });
    expect(ohlcv(hours[0])).toEqual(aggregate(minutes.slice(0, 30))); // 09:30-10:00
    expect(ohlcv(hours[1])).toEqual(aggregate(minutes.slice(30, 90))); // 10:00-11:00
    const seconds = await bars(client, AAPL, {
      end: '20240314 10:00:00 US/Eastern',
      duration: '300 S',
      barSize: '5 secs',
    });
    const lastMinutes = minutes.filter((m) => m.time >= '20240314 09:55:00' && m.time < '20240314 10:00:00');
    expect(seconds).toHaveLength(60);
    for (let i = 0; i < 5; i += 1)
      expect(aggregate(seconds.slice(i * 12, i * 12 + 12))).toEqual(ohlcv(lastMinutes[i]));
    const days = await bars(client, AAPL, {
      end: '20240315 17:00:00 US/Eastern',
      duration: '2 W',
      barSize: '1 day',
    });
    const weeks = await bars(client, AAPL, {
      end: '20240315 17:00:00 US/Eastern',
      duration: '2 W',
      barSize: '1 week',
    });
    // Dated by the last trading day of each week, as IB does.
    expect(weeks.map((w) => w.time)).toEqual(['20240308', '20240315']);
    expect(ohlcv(weeks[1])).toEqual(aggregate(days.slice(5)));
  });

  it('keeps quote sides consistent across sizes too', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const request = { end: '20240314 17:00:00 US/Eastern', duration: '1 D', whatToShow: 'BID' };
    const minutes = await bars(client, EURUSD, { ...request, barSize: '1 min' });
    const [day] = await bars(client, EURUSD, { ...request, barSize: '1 day' });
    const { open, high, low, close } = aggregate(minutes);
    expect(day).toMatchObject({ open, high, low, close, volume: -1 });
  });
});

describe('sessions and calendar', () => {
  it('has no bars on weekends or NYSE holidays (Good Friday, Independence Day)', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const april = await bars(client, AAPL, {
      end: '20230414 17:00:00 US/Eastern',
      duration: '2 W',
      barSize: '1 day',
    });
    expect(april.map((b) => b.time)).toEqual([
      ...['20230403', '20230404', '20230405', '20230406'], // 2023-04-07 is Good Friday
      ...['20230410', '20230411', '20230412', '20230413', '20230414'],
    ]);
    const july = await bars(client, AAPL, {
      end: '20230707 17:00:00 US/Eastern',
      duration: '1 W',
      barSize: '1 day',
    });
    expect(july.map((b) => b.time)).toEqual(['20230703', '20230705', '20230706', '20230707']);
  });

  it('closes early at 13:00 on the day after Thanksgiving', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const hours = await bars(client, AAPL, {
      end: '20231124 20:00:00 US/Eastern',
      duration: '1 D',
      barSize: '1 hour',
    });
    expect(hours.at(-1)?.time).toBe('20231124 12:00:00 America/New_York');
  });

  it('follows DST: the RTH open is 14:30 UTC in winter and 13:30 UTC in summer', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const winter = await bars(client, AAPL, {
      end: '20240108 10:00:00 US/Eastern',
      duration: '1800 S',
      barSize: '1 min',
      formatDate: 2,
    });
    const summer = await bars(client, AAPL, {
      end: '20230710 10:00:00 US/Eastern',
      duration: '1800 S',
      barSize: '1 min',
      formatDate: 2,
    });
    expect(winter[0]?.time).toBe(String(Date.UTC(2024, 0, 8, 14, 30) / 1000));
    expect(summer[0]?.time).toBe(String(Date.UTC(2023, 6, 10, 13, 30) / 1000));
  });

  it('trades forex from Sunday 17:00 to Friday 17:00 New York', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const week = await bars(client, EURUSD, {
      end: '20240311 00:00:00 US/Eastern',
      duration: '4 D',
      barSize: '1 hour',
      whatToShow: 'MIDPOINT',
      useRth: false,
    });
    const times = week.map((b) => b.time);
    expect(times).toContain('20240308 16:00:00 America/New_York');
    expect(times).not.toContain('20240308 17:00:00 America/New_York');
    expect(times).toContain('20240310 17:00:00 America/New_York');
    expect(times.filter((t) => t.startsWith('20240309'))).toEqual([]);
  });

  it('pauses futures for the 16:00-17:00 Chicago break', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const hours = await bars(client, ES_M4, {
      end: '20240314 20:00:00 US/Central',
      duration: '2 D',
      barSize: '1 hour',
      useRth: false,
    });
    const times = hours.map((b) => b.time.slice(9, 14));
    expect(times).toContain('15:00');
    expect(times).not.toContain('16:00');
    expect(times.at(-1)).toBe('19:00');
    expect(hours[0]?.time).toBe('20240313 17:00:00 America/Chicago');
  });
});
