import {
  AsyncHostService,
  type CallOptions,
  type HealthStatus,
  type ServiceClient,
  type ServiceImplementation,
  type Transport,
  type TransportChoice,
} from '@ktrdr/core';
import { type BacktestHostContract, backtestHostContract } from '../contract/backtest-host-contract';
import type { BacktestDetail, BacktestRequestInput, BacktestSummary } from '../contract/backtest-schemas';
import type { BacktestProgress } from '../runner/backtest-runner';

/** How a {@link BacktestAdapter} reaches the backtest host. */
export type BacktestAdapterTransportOptions =
  /** A host serving the backtest routes over HTTP (e.g. the training host, next to its models). */
  | { kind: 'http'; url: string; token?: string; timeoutMs?: number }
  /** The backtest host routes running in this process. */
  | { kind: 'in-process'; service: ServiceImplementation<BacktestHostContract> }
  /** Any transport speaking the backtest host contract. */
  | { kind: 'transport'; transport: Transport };

function transportChoice(options: BacktestAdapterTransportOptions): TransportChoice {
  switch (options.kind) {
    case 'http':
      return { ...options, urlVariable: 'TRAINING_HOST_SERVICE_URL' };
    case 'in-process':
      return { kind: 'in-process', implementation: options.service };
    case 'transport':
      return options;
  }
}

/**
 * The backtest path's communication layer: runs, lists and shows backtests on the backtest host,
 * over HTTP or in this process, through the one transport selector.
 */
export class BacktestAdapter extends AsyncHostService {
  private readonly client: ServiceClient<BacktestHostContract>;

  constructor(options: BacktestAdapterTransportOptions) {
    super(backtestHostContract.name, transportChoice(options));
    this.client = this.clientFor(backtestHostContract);
  }

  /**
   * Runs a backtest on the host to its end; `onProgress` gets each step. Aborting `signal` stops it
   * there (over HTTP, by closing the call).
   */
  run(
    input: BacktestRequestInput,
    options: Omit<CallOptions, 'onProgress'> & { onProgress?: (progress: BacktestProgress) => void } = {},
  ): Promise<BacktestSummary> {
    const { onProgress, ...callOptions } = options;
    return this.client.run(input, {
      ...callOptions,
      onProgress: onProgress === undefined ? undefined : (p) => onProgress(p as BacktestProgress),
    });
  }

  /** Stored backtests on the host. */
  list(options: CallOptions = {}) {
    return this.client.list({}, options);
  }

  /** One stored backtest in full. */
  show(backtestId: string, points?: number, options: CallOptions = {}): Promise<BacktestDetail> {
    return this.client.show(
      { backtest_id: backtestId, ...(points === undefined ? {} : { points }) },
      options,
    );
  }

  /** Health of the backtest host. */
  async healthCheck(options: CallOptions = {}): Promise<HealthStatus> {
    const health = await this.client.health({}, options);
    return { ...health, mode: this.transport.kind };
  }
}
