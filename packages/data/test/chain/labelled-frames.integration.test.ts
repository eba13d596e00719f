import { inspect } from 'node:util';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataService } from '../../src/service/data-service';
import { Closer, configFor, ibAdapter, simulator, tempDir } from './chain-fixtures';

const closer = new Closer();
afterEach(() => closer.closeAll());

describe('frames read through DataService say which series they hold and that it is simulated', () => {
  it('labels the frames of a load, a local load and a cached read', async () => {
    const sim = await simulator(closer);
    const config = configFor(sim, join(await tempDir(closer), 'data'));
    const data = closer.add(
      new DataService({ config, adapter: ibAdapter(closer, config.ib), manager: { retryBaseMs: 20 } }),
      (s) => s.close(),
    );
    const label = { symbol: 'AAPL', timeframe: '1h', simulated: true };

    const load = await data.loadData({
      symbol: 'aapl',
      timeframe: '1h',
      start: '2024-03-04',
      end: '2024-03-09',
    });
    const loaded = await load.result();
    expect(loaded.frame.length).toBe(5 * 7);
    expect(loaded.frame.info).toEqual(label);
    expect(inspect(loaded.frame).split('\n')[0]).toBe(
      'BarFrame AAPL 1h, 35 bars, SIMULATED, 2024-03-04 14:30 to 2024-03-08 20:00 UTC',
    );

    const local = await (await data.loadData({ symbol: 'AAPL', timeframe: '1h', mode: 'local' })).result();
    expect(local.frame.info).toEqual(label);

    const cached = await data.loadCachedData('AAPL', '1h', { start: '2024-03-05', end: '2024-03-06' });
    expect(cached.frame.info).toEqual(label);
    expect(JSON.parse(JSON.stringify(cached.frame))).toMatchObject({ ...label, bars: expect.any(Array) });
    expect(cached.frame.toHTML()).toContain('<strong style="color:#b91c1c">SIMULATED</strong>');
  });
});
