import { type ServiceImplementation, implementService } from '@ktrdr/core';
import { formatIsoUtc } from '../domain/dates';
import type { DataService } from '../service/data-service';
import { type DataApiContract, dataApiContract } from './data-api-contract';

const iso = (ms: number | undefined) => (ms === undefined ? null : formatIsoUtc(ms));

/**
 * The backend API's data routes over a {@link DataService}: served by `@ktrdr/server` under
 * `/api/v1`, and called in-process by the CLI when it runs embedded.
 */
export function createDataApiService(data: DataService): ServiceImplementation<DataApiContract> {
  return implementService(dataApiContract, {
    async symbols() {
      const symbols = await data.getAvailableSymbols();
      return {
        success: true as const,
        data: symbols.map((entry) => ({
          symbol: entry.symbol,
          timeframes: entry.timeframes,
          simulated: entry.simulated,
          series: entry.series.map((s) => ({
            symbol: s.symbol,
            timeframe: s.timeframe,
            simulated: s.simulated,
            rows: s.rows,
            start: iso(s.start),
            end: iso(s.end),
          })),
        })),
      };
    },
    timeframes() {
      return { success: true as const, data: data.getTimeframes() };
    },
    bars(input) {
      return data.getStoredBars({
        symbol: input.symbol,
        timeframe: input.timeframe,
        start: input.start ?? input.start_date,
        end: input.end ?? input.end_date,
        limit: input.limit,
      });
    },
    async load(input) {
      const handle = await data.loadData({
        symbol: input.symbol,
        timeframe: input.timeframe,
        mode: input.mode,
        start: input.start_date ?? undefined,
        end: input.end_date ?? undefined,
        instrumentType: input.instrument_type,
        refetchEmpty: input.refetch_empty,
        pacing: input.pacing,
      });
      return {
        success: true as const,
        operation_id: handle.id,
        status: handle.status,
        data: handle.describe(),
      };
    },
    async range(input) {
      return { success: true as const, data: await data.getDataRange(input.symbol, input.timeframe) };
    },
  });
}
