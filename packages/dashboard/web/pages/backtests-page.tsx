import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { ModelSummary } from '../api/api-types';
import type { BacktestDetail, BacktestList } from '../api/backtest-types';
import { usePolled } from '../api/use-polled';
import { BacktestForm } from '../backtests/backtest-form';
import { drawEquityChart } from '../backtests/equity-chart';
import { equitySeriesOf, tradeMarkers } from '../backtests/equity-series';
import { formatMetric, metricTable } from '../backtests/metric-rows';
import { ErrorMessage } from '../components/error-message';
import { SeriesChart } from '../components/series-chart';
import { ListHead, RowToggle } from '../components/list-table';

/**
 * A second after `iso`: the store reads ranges up to their end exclusive, and a backtest's
 * `end_date` is its last bar, which the price chart must include (a trade may close there).
 */
function justAfter(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms + 1000).toISOString() : iso;
}

/** Curve points asked for: every bar of a year of hourly bars, a resampled curve beyond. */
const EQUITY_POINTS = 5000;

function EquityChart({ detail }: { detail: BacktestDetail }) {
  const host = useRef<HTMLElement>(null);
  const { series, skipped } = useMemo(() => equitySeriesOf(detail.equity), [detail]);
  useEffect(() => {
    if (host.current === null || series.length === 0) return;
    const chart = drawEquityChart(host.current, series);
    return () => chart.remove();
  }, [series]);
  const resampled = detail.equity.total_points > detail.equity.dates.length;
  return (
    <>
      <p class="chart-facts">
        Equity of the strategy (blue) and of buy-and-hold (brown); drawdown from the running peak below.{' '}
        {resampled &&
          `${series.length.toLocaleString()} of ${detail.equity.total_points.toLocaleString()} points (resampled), so the drawn drawdown may miss the deepest bar: the table's is exact. `}
        {skipped > 0 && `${skipped} point(s) with an unreadable date not drawn.`}
      </p>
      <figure
        ref={host}
        class="chart equity-chart"
        aria-label={`Equity curve and drawdown of backtest ${detail.backtest_id}`}
        data-points={series.length}
      />
    </>
  );
}

function MetricsTable({ detail }: { detail: BacktestDetail }) {
  return (
    <table class="metrics">
      <caption>Metrics ({detail.metrics_mode} formulas): strategy vs buy-and-hold on the same bars</caption>
      <thead>
        <tr>
          <th scope="col">metric</th>
          <th scope="col">strategy</th>
          <th scope="col">buy and hold</th>
        </tr>
      </thead>
      <tbody>
        {metricTable(detail.metrics, detail.buy_and_hold).map(([label, strategy, hold]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{strategy}</td>
            <td>{hold}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BacktestDetails({ client, id }: { client: ApiClient; id: string }) {
  const detail = usePolled(
    () =>
      client.get<{ data: BacktestDetail }>(`/backtests/${encodeURIComponent(id)}?points=${EQUITY_POINTS}`),
    id,
  );
  const backtest = detail.data?.data;
  const markers = useMemo(() => tradeMarkers(backtest?.trades ?? []), [backtest]);
  if (detail.error !== undefined)
    return <ErrorMessage code={detail.error.code} message={detail.error.message} />;
  if (backtest === undefined) return <p>Loading {id}…</p>;
  return (
    <div class="backtest-details" data-backtest={backtest.backtest_id} data-bars={backtest.bars}>
      <h3>
        {backtest.model} on {backtest.symbol} {backtest.timeframe}
        {backtest.simulated && (
          <span class="badge simulated" title="Synthetic bars from the IB simulator, not market data">
            SIMULATED data
          </span>
        )}
      </h3>
      <p>
        {backtest.start_date} to {backtest.end_date}, {backtest.bars.toLocaleString()} bars,{' '}
        {backtest.trades.length} trades.
      </p>
      {backtest.warnings.map((w) => (
        <p key={w} class="warning" role="note">
          {w}
        </p>
      ))}
      <EquityChart detail={backtest} />
      <MetricsTable detail={backtest} />
      <p>Trades on the price chart: ▲ buys, ▼ sells; L and S mark a long's or a short's entry.</p>
      <SeriesChart
        client={client}
        symbol={backtest.symbol}
        timeframe={backtest.timeframe}
        start={backtest.start_date}
        end={justAfter(backtest.end_date)}
        markers={markers}
      />
    </div>
  );
}

/** Backtests: the stored ones, one in detail (equity, drawdown, metrics, trades), and new runs. */
export function BacktestsPage({ client }: { client: ApiClient }) {
  const list = usePolled(() => client.get<{ data: BacktestList }>('/backtests'), 'backtests');
  const models = usePolled(() => client.get<{ data: ModelSummary[] }>('/models'), 'models');
  const [selected, setSelected] = useState<string | undefined>();
  const backtests = list.data?.data.backtests ?? [];
  const problems = list.data?.data.problems ?? [];
  const shown = selected ?? backtests[0]?.backtest_id;
  return (
    <section aria-labelledby="backtests-title">
      <h2 id="backtests-title">Backtests</h2>
      {list.error !== undefined && <ErrorMessage code={list.error.code} message={list.error.message} />}
      <table class="backtests">
        <caption>Stored backtests</caption>
        <ListHead columns={['backtest', 'model', 'series', 'return', 'buy and hold', 'trades']} />
        <tbody>
          {backtests.length === 0 && (
            <tr>
              <td colSpan={7}>{list.data === undefined ? 'Loading…' : 'No backtests yet: run one below.'}</td>
            </tr>
          )}
          {backtests.map((b) => (
            <tr key={b.backtest_id} data-backtest-id={b.backtest_id}>
              <td>
                <code>{b.backtest_id}</code>
              </td>
              <td>
                <code>{b.model}</code>
              </td>
              <td>
                {b.symbol} {b.timeframe} {b.simulated && <span class="badge simulated">SIMULATED</span>}
              </td>
              <td>{formatMetric(b.metrics['total_return_pct'], 'percent')}</td>
              <td>{formatMetric(b.buy_and_hold['total_return_pct'], 'percent')}</td>
              <td>{formatMetric(b.metrics['total_trades'], 'count')}</td>
              <td>
                <RowToggle
                  label={`Show ${b.backtest_id}`}
                  pressed={shown === b.backtest_id}
                  onClick={() => setSelected(b.backtest_id)}
                >
                  Show
                </RowToggle>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {problems.map((p) => (
        <ErrorMessage key={p.backtest_id} message={`${p.backtest_id}: ${p.message}`} />
      ))}
      {shown !== undefined && <BacktestDetails key={shown} client={client} id={shown} />}
      <BacktestForm
        client={client}
        models={models.data?.data ?? []}
        onDone={(id) => {
          list.refresh();
          if (id !== undefined) setSelected(id);
        }}
      />
    </section>
  );
}
