import { createInProcessTransport, createServiceClient } from '@ktrdr/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataApiContract } from '../../src/api/data-api-contract';
import { createDataApiService } from '../../src/api/create-data-api-service';
import { DataService } from '../../src/service/data-service';
import { Closer, configFor, ibAdapter, simulator, tempDir } from './chain-fixtures';

const closer = new Closer();
afterEach(() => closer.closeAll());

describe('data API over a torn file', () => {
  it('answers the whole rows with the torn_row warning, naming the file relative to the data folder', async () => {
    const sim = await simulator(closer);
    const dataDir = join(await tempDir(closer), 'data');
    await mkdir(dataDir);
    await writeFile(
      join(dataDir, 'AAPL_1m.csv'),
      'date,open,high,low,close,volume\n2024-03-01T14:30:00Z,1.0,2.0,0.5,1.5,100.0\n2024-03-01T14:31:00Z,1.0,2.0,',
    );
    const config = configFor(sim, dataDir);
    const data = closer.add(new DataService({ config, adapter: ibAdapter(closer, config.ib) }), (s) =>
      s.close(),
    );
    const transport = closer.add(createInProcessTransport(createDataApiService(data)), (t) => t.close());
    const client = createServiceClient(dataApiContract, transport);

    const answer = await client.bars({ symbol: 'AAPL', timeframe: '1m' });
    expect(answer).toMatchObject({ rows: 1, data: [{ date: '2024-03-01T14:30:00Z', volume: 100 }] });
    expect(answer.warnings).toEqual([
      { code: 'torn_row', file: 'AAPL_1m.csv', line: 3, message: expect.stringMatching(/^AAPL_1m\.csv:3: /) },
    ]);
    expect(JSON.stringify(answer)).not.toContain(dataDir);
  });
});
