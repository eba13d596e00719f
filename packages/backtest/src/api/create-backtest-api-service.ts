import { type ServiceImplementation, implementService } from '@ktrdr/core';
import { type BacktestApiContract, backtestApiContract } from '../contract/backtest-api-contract';
import type { BacktestService } from '../service/backtest-service';

/** The backend API's backtest routes over a {@link BacktestService}. */
export function createBacktestApiService(
  backtests: BacktestService,
): ServiceImplementation<BacktestApiContract> {
  return implementService(backtestApiContract, {
    async start(input) {
      const handle = await backtests.startBacktest(input);
      return {
        success: true as const,
        operation_id: handle.id,
        status: handle.status,
        data: handle.describe(),
      };
    },
    async list() {
      return { success: true as const, data: await backtests.listBacktests() };
    },
    async show({ backtest_id, points }) {
      return { success: true as const, data: await backtests.getBacktest(backtest_id, points) };
    },
  });
}
