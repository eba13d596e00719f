import { type ServiceImplementation, implementService } from '@ktrdr/core';
import { type BacktestHostContract, backtestHostContract } from '../contract/backtest-host-contract';
import type { BacktestRunner } from '../runner/backtest-runner';

/**
 * The backtest host service's routes over a {@link BacktestRunner}: what the in-process transport
 * calls, and what a host (the training host, next to its models) serves over HTTP.
 */
export function createBacktestHostService(
  runner: BacktestRunner,
): ServiceImplementation<BacktestHostContract> {
  return implementService(backtestHostContract, {
    health() {
      return { healthy: true, service: backtestHostContract.name, running: runner.running };
    },
    run(input, { signal, reportProgress }) {
      return runner.run(input, { signal, onProgress: reportProgress });
    },
    list() {
      return runner.list();
    },
    show({ backtest_id, points }) {
      return runner.show(backtest_id, points);
    },
  });
}
