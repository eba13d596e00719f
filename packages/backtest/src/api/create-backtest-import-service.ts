import { type ServiceImplementation, implementService } from '@ktrdr/core';
import { type BacktestImportContract, backtestImportContract } from '../contract/backtest-import-contract';
import type { BacktestService } from '../service/backtest-service';

/** The backend API's `POST /backtests/import` over a {@link BacktestService}. */
export function createBacktestImportService(
  backtests: BacktestService,
): ServiceImplementation<BacktestImportContract> {
  return implementService(backtestImportContract, {
    async importBacktest(bundle) {
      return { success: true as const, data: await backtests.importBacktest(bundle) };
    },
  });
}
