import { type BacktestMetrics, computeMetrics, type MetricsOptions } from '../metrics/compute-metrics';
import type { BacktestSettings } from './backtest-settings';
import { type BarSignals, type SimulationBars, type SimulationResult, simulate } from './simulate';

/** A simulation with the metrics of the strategy and of its buy-and-hold baseline. */
export interface Evaluation {
  readonly simulation: SimulationResult;
  /** Open times of the range's bars (the equity curve's stamps). */
  readonly times: Float64Array;
  readonly metrics: BacktestMetrics;
  readonly baseline: BacktestMetrics;
}

/**
 * Simulates the decisions over bars `first` to the end and computes both sets of metrics. Pure and
 * synchronous: the signals are computed beforehand, in one batch.
 */
export function evaluate(
  bars: SimulationBars,
  signals: BarSignals,
  first: number,
  settings: BacktestSettings,
  metrics: MetricsOptions,
): Evaluation {
  const simulation = simulate(bars, signals, first, settings);
  const times = bars.time.subarray(first);
  const initialCapital = settings.initialCapital;
  return {
    simulation,
    times,
    metrics: computeMetrics(
      {
        equity: simulation.equity,
        times,
        position: simulation.position,
        trades: simulation.trades,
        initialCapital,
      },
      metrics,
    ),
    baseline: computeMetrics(
      {
        equity: simulation.baseline.equity,
        times,
        position: simulation.baseline.position,
        trades: simulation.baseline.trades,
        initialCapital,
      },
      metrics,
    ),
  };
}
