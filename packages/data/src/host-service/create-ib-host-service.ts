import { NotFoundError, type ServiceImplementation, ValidationError, implementService } from '@ktrdr/core';
import { formatIsoUtc, toEpochMs } from '../domain/dates';
import { parseSymbol } from '../domain/symbols';
import { parseSearchPattern } from '../ib/symbol-search';
import { CoalescedFetches, type CoalescedFetchesOptions } from './coalesced-fetches';
import type { HistoricalDataSource } from './historical-data-source';
import { type IbHostContract, ibHostContract } from './ib-host-contract';
import { toWireBars } from './wire-bars';

/** Options of {@link createIbHostService}. */
export type IbHostServiceOptions = CoalescedFetchesOptions;

/**
 * The IB host service's routes over a data source: what `@ktrdr/server` mounts on port 8001 and what
 * the in-process transport calls. All checks live here, so every transport validates the same way.
 * Identical concurrent historical requests share one fetch, and a caller that sends `wait_ms` is
 * told "still waiting" (429, `details.pending`) rather than held past it (see {@link CoalescedFetches}).
 */
export function createIbHostService(
  source: HistoricalDataSource,
  options: IbHostServiceOptions = {},
): ServiceImplementation<IbHostContract> {
  const fetches = new CoalescedFetches(source, options);
  return implementService(ibHostContract, {
    async health() {
      const status = await source.health();
      return {
        healthy: status.connected,
        // Up means the service can fetch: with its gateway down it serves nothing but errors.
        status: status.connected ? ('ok' as const) : ('degraded' as const),
        gateway: status.connected ? ('up' as const) : ('down' as const),
        service: ibHostContract.name,
        timestamp: new Date().toISOString(),
        source: source.name,
        simulated: status.simulated,
        ib_status: status,
      };
    },
    async historical(input, { signal }) {
      const symbol = parseSymbol(input.symbol);
      const start = toEpochMs(input.start, 'start');
      const end = toEpochMs(input.end, 'end');
      if (start >= end) {
        throw new ValidationError(`start (${input.start}) must be before end (${input.end})`, {
          details: { field: 'start' },
        });
      }
      const { frame, simulated } = await fetches.fetch(
        {
          symbol,
          timeframe: input.timeframe,
          start,
          end,
          instrumentType: input.instrument_type,
          ...(input.pacing === undefined ? {} : { pacing: input.pacing }),
        },
        { signal, waitMs: input.wait_ms, fetchId: input.fetch_id },
      );
      const data = toWireBars(frame);
      return { success: true as const, data, rows: data.length, error: null, simulated };
    },
    async validate(input, { signal }) {
      const symbol = parseSymbol(input.symbol);
      try {
        const info = await source.getContractInfo(symbol, { instrumentType: input.instrument_type, signal });
        const headTimestamps: Record<string, string | null> = {};
        for (const timeframe of input.timeframes ?? []) {
          const head = await source.getHeadTimestamp(symbol, {
            timeframe,
            instrumentType: info.asset_type,
            signal,
          });
          headTimestamps[timeframe] = head === undefined ? null : formatIsoUtc(head);
        }
        return {
          success: true as const,
          is_valid: true,
          error_message: null,
          contract_info: info,
          head_timestamps: headTimestamps,
        };
      } catch (error) {
        // An unknown symbol is an answer to "is it valid?", not a failure of the call.
        if (error instanceof NotFoundError) {
          return {
            success: true as const,
            is_valid: false,
            error_message: error.message,
            contract_info: null,
            head_timestamps: {},
          };
        }
        throw error;
      }
    },
    async symbolInfo(input, { signal }) {
      const symbol = parseSymbol(input.symbol);
      return {
        success: true as const,
        symbol,
        contract_info: await source.getContractInfo(symbol, { signal }),
      };
    },
    async headTimestamp(input, { signal }) {
      const symbol = parseSymbol(input.symbol);
      const head = await source.getHeadTimestamp(symbol, {
        timeframe: input.timeframe,
        instrumentType: input.instrument_type,
        signal,
      });
      return { success: true as const, symbol, timestamp: head === undefined ? null : formatIsoUtc(head) };
    },
    async search(input, { signal }) {
      const pattern = parseSearchPattern(input.pattern);
      if (source.searchSymbols === undefined) {
        throw new NotFoundError(`The data source '${source.name}' has no symbol search.`, {
          details: { source: source.name },
        });
      }
      const { matches, simulated } = await source.searchSymbols(pattern, { signal });
      return { success: true as const, pattern, matches, simulated };
    },
  });
}
